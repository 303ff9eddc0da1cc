namespace VllmSim.Engine;

/// <summary>vLLM's PauseMode: what /sleep does with requests the engine already has.</summary>
internal enum PauseMode
{
    /// <summary>The default: every request the engine holds ends at once with finish_reason "abort".</summary>
    Abort,

    /// <summary>Running requests finish first; the sleep starts once none runs.</summary>
    Wait,

    /// <summary>Requests freeze where they are and resume after the wake.</summary>
    Keep,
}

namespace VllmSim.Options;

/// <summary>A failure <c>POST /wake_up</c> can be told to play (<c>--wake-fault</c>).</summary>
public enum WakeFault
{
    /// <summary>Wakes as vLLM does.</summary>
    None,

    /// <summary>Answers 500 after --wake-seconds and stays asleep, as a wake that hit CUDA OOM.</summary>
    Error,

    /// <summary>Never answers (until the client leaves or the server stops); stays asleep.</summary>
    Hang,

    /// <summary>Answers 200, but /is_sleeping stays true and requests stay parked.</summary>
    StaysAsleep,
}

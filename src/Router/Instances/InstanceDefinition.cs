namespace GpuRouter.Instances;

public sealed class InstanceDefinition
{
    public required string Name { get; init; }
    public required ModelDefinition Model { get; init; }

    /// <summary>GPU indices; empty for a remote endpoint that is not on this box.</summary>
    public required IReadOnlyList<int> Gpus { get; init; }

    /// <summary>Null when unknown (a remote endpoint that did not say): every request is taken to fit.</summary>
    public int? MaxModelLen { get; init; }
    public required int MaxConcurrent { get; init; }
    public required int MaxQueue { get; init; }
    public required double GpuMemoryUtilization { get; init; }
    public bool Preload { get; init; }

    /// <summary>The host (<c>hosts[].name</c>) whose engine runs it; null: the local engine. GPU indices are that host's.</summary>
    public string? Host { get; init; }

    /// <summary>An already-running server: routed to and counted, never started or stopped.</summary>
    public Uri? Endpoint { get; init; }
    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>The model's <c>env</c> overlaid with the instance's, sorted by name, values still templates (<c>${VAR}</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Env { get; init; } = [];

    /// <summary><c>skipMemoryCheck: true</c>: the start-up check of weights and KV cache against the share is not run.</summary>
    public bool SkipMemoryCheck { get; init; }

    /// <summary>The GPU list as the X-Router-Gpu header and metrics label show it, e.g. "0" or "0,1"; on another host "dgx:0,1".</summary>
    public required string GpuLabel { get; init; }

    public bool IsManaged => Endpoint is null;

    public bool Fits(int promptTokens, int? maxTokens) =>
        MaxModelLen is not { } limit || promptTokens + Math.Max(maxTokens ?? 1, 1) <= limit;
}

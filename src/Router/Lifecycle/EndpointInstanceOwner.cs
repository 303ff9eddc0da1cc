using GpuRouter.Configuration;

namespace GpuRouter.Lifecycle;

/// <summary>An already-running server (a remote box, or a simulator on loopback): always ready, never started.</summary>
internal sealed class EndpointInstanceOwner(InstanceDefinition definition) : IInstanceOwner
{
    private readonly ReadyResult _ready = ReadyResult.Ready(definition.Endpoint!);

    public InstanceDefinition Definition => definition;

    public InstanceState State => InstanceState.Ready;

    public ValueTask<ReadyResult> EnsureReadyAsync(IProgress<StartProgress>? progress, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_ready);

    public void ReportUnreachable()
    {
        // A remote server is not ours to restart; the client's 503 says it could not be reached.
    }
}

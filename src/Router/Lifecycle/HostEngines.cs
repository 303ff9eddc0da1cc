using GpuRouter.Hosts;

namespace GpuRouter.Lifecycle;

/// <summary>The engines by host name: the local one first, then <c>hosts[]</c> in config order. Disposes the remote clients.</summary>
internal sealed class HostEngines(IReadOnlyList<HostEngine> engines) : IDisposable
{
    public IReadOnlyList<HostEngine> All => engines;

    /// <summary>The engine of <paramref name="host"/> (null: the local one).</summary>
    public HostEngine For(string? host) =>
        engines.FirstOrDefault(e => e.Name == (host ?? HostsOptions.LocalName))
        ?? throw new InvalidOperationException($"No engine for host '{host}'.");

    public void Dispose()
    {
        // The local client belongs to the container (AddDocker); the remote ones were made here.
        foreach (var engine in engines.Where(e => !e.IsLocal)) (engine.Docker as IDisposable)?.Dispose();
    }
}

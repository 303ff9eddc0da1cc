using GpuRouter.Configuration;

namespace GpuRouter.Lifecycle;

// The views' reading of the bookkeeping, per (host, GPU): GPU indices are per host, so a remote
// host's GPU 0 and the local GPU 0 are different cards and never summed together.
internal sealed partial class GpuPlacement
{
    /// <summary>
    /// Per GPU of each host, the share each instance holds there now: its full share, or its
    /// residual share while asleep. An instance that holds nothing is not listed.
    /// </summary>
    public IReadOnlyDictionary<GpuKey, IReadOnlyDictionary<string, double>> Holdings()
    {
        lock (_lock)
        {
            return _reserved
                .SelectMany(r => r.Key.Gpus.Select(g => (Gpu: new GpuKey(r.Key.Host, g), r.Key.Name, Held: HeldOf(r.Key, r.Value))))
                .GroupBy(x => x.Gpu)
                .ToDictionary(
                    g => g.Key,
                    g => (IReadOnlyDictionary<string, double>)g.ToDictionary(x => x.Name, x => x.Held / (double)Thousandths.Whole, StringComparer.Ordinal));
        }
    }
}

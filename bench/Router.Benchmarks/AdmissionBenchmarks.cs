using BenchmarkDotNet.Attributes;
using GpuRouter.Admission;

namespace GpuRouter.Benchmarks;

/// <summary>The uncontended path every request takes: a free slot, nobody waiting.</summary>
[MemoryDiagnoser]
public class AdmissionBenchmarks
{
    private static readonly TimeSpan QueueTimeout = TimeSpan.FromMinutes(2);
    private readonly InstanceGate _gate = new("bench_0", 4, 64, TimeProvider.System);

    [Benchmark]
    public bool AcquireRelease()
    {
        var pending = _gate.AcquireAsync(RequestPriority.Interactive, QueueTimeout, CancellationToken.None);
        if (!pending.IsCompletedSuccessfully)
        {
            throw new InvalidOperationException("An uncontended gate made the request wait.");
        }

        var admission = pending.Result;
        admission.Lease.Dispose();
        return admission.IsGranted;
    }

    [Benchmark]
    public async Task<bool> AcquireReleaseAwaited()
    {
        var admission = await _gate.AcquireAsync(RequestPriority.Batch, QueueTimeout, CancellationToken.None);
        admission.Lease.Dispose();
        return admission.IsGranted;
    }
}

using Microsoft.Extensions.Logging;

namespace GpuRouter.Gpu;

/// <summary>
/// An initialized NVML: reads every device into a snapshot, remembers what each device was
/// when it last answered, and logs a device going away or coming back once, not on every poll.
/// Not thread-safe: <see cref="NvmlPoller"/> serializes reads and disposal.
/// </summary>
internal sealed class NvmlSession : IDisposable
{
    private readonly NvmlLibrary nvml;
    private readonly NvmlDeviceReader reader;
    private readonly TimeProvider time;
    private readonly ILogger logger;

    // A lost GPU cannot tell its name; the last good reading keeps it recognizable in /admin/gpus.
    private readonly Dictionary<int, GpuReading> lastGood = [];
    private readonly HashSet<int> unavailable = [];
    private NvmlReturn countError;

    private NvmlSession(NvmlLibrary nvml, TimeProvider time, ILogger logger)
    {
        this.nvml = nvml;
        this.time = time;
        this.logger = logger;
        reader = new NvmlDeviceReader(nvml);
    }

    /// <summary>Loads and initializes NVML, or logs the one warning that says telemetry is off and returns null.</summary>
    public static NvmlSession? Open(NvmlOptions options, TimeProvider time, ILogger logger)
    {
        if (!NvmlLibrary.TryLoad(options.Library, out var nvml, out var error))
        {
            NvmlLog.LibraryUnavailable(logger, options.Library, error);
            return null;
        }

        var rc = nvml.Init();
        if (rc != NvmlReturn.Success)
        {
            NvmlLog.InitFailed(logger, (int)rc, nvml.ErrorString(rc));
            nvml.Dispose();
            return null;
        }

        NvmlLog.Started(logger, options.Library, options.PollInterval);
        return new NvmlSession(nvml, time, logger);
    }

    public GpuSnapshot Read()
    {
        var takenAt = time.GetUtcNow();
        var rc = nvml.GetCount(out var count);
        if (rc != NvmlReturn.Success)
        {
            if (rc != countError)
            {
                NvmlLog.CountFailed(logger, (int)rc, nvml.ErrorString(rc));
            }

            countError = rc;
            // The GPUs seen before are still in the box; report them failed, and log each one's
            // return when NVML counts again.
            unavailable.UnionWith(lastGood.Keys);
            return new GpuSnapshot(takenAt, [.. lastGood.Keys.Order().Select(i => Unavailable(i, rc))]);
        }

        countError = NvmlReturn.Success;
        var gpus = new GpuReading[count];
        for (var i = 0u; i < count; i++)
        {
            gpus[i] = ReadDevice((int)i);
        }

        return new GpuSnapshot(takenAt, gpus);
    }

    private GpuReading ReadDevice(int index)
    {
        var rc = reader.Read((uint)index, out var reading, out var failedCall);
        if (rc == NvmlReturn.Success && reading is not null)
        {
            if (unavailable.Remove(index))
            {
                NvmlLog.GpuRecovered(logger, index);
            }

            lastGood[index] = reading;
            return reading;
        }

        var failed = Unavailable(index, rc);
        if (unavailable.Add(index))
        {
            NvmlLog.GpuUnavailable(logger, index, failedCall, (int)rc, failed.Error!);
        }

        return failed;
    }

    private GpuReading Unavailable(int index, NvmlReturn rc)
    {
        lastGood.TryGetValue(index, out var known);
        return new GpuReading
        {
            Index = index,
            Name = known?.Name ?? string.Empty,
            Uuid = known?.Uuid ?? string.Empty,
            Available = false,
            Error = nvml.ErrorString(rc),
            MemoryTotalBytes = known?.MemoryTotalBytes ?? 0,
        };
    }

    public void Dispose() => nvml.Dispose();
}

using System.Text;

namespace GpuRouter.Gpu;

/// <summary>Reads one device through NVML into a <see cref="GpuReading"/>. Not thread-safe: the caller serializes.</summary>
internal sealed class NvmlDeviceReader(NvmlLibrary nvml)
{
    /// <summary>Processes fit this many slots before the INSUFFICIENT_SIZE path grows the buffer.</summary>
    internal const int InitialProcessCapacity = 16;

    /// <summary>NVML_DEVICE_NAME_V2_BUFFER_SIZE; NVML_DEVICE_UUID_V2_BUFFER_SIZE is the same.</summary>
    private const int StringBufferSize = 96;

    /// <summary>Processes may start between NVML telling the size and the next call; give up after this many tries.</summary>
    private const int ProcessAttempts = 4;

    private NvmlProcessInfo[] processBuffer = new NvmlProcessInfo[InitialProcessCapacity];

    /// <summary>
    /// Returns Success and the reading, or the code of the first call that failed and that call's
    /// NVML name. A query the device does not support leaves its value at zero instead of failing.
    /// </summary>
    public NvmlReturn Read(uint index, out GpuReading? reading, out string failedCall)
    {
        reading = null;
        Span<byte> text = stackalloc byte[StringBufferSize];

        failedCall = "nvmlDeviceGetHandleByIndex_v2";
        var rc = nvml.GetHandleByIndex(index, out var device);
        if (rc != NvmlReturn.Success)
        {
            return rc;
        }

        failedCall = "nvmlDeviceGetName";
        if ((rc = nvml.GetName(device, text)) != NvmlReturn.Success)
        {
            return rc;
        }

        var name = Decode(text);
        failedCall = "nvmlDeviceGetUUID";
        if ((rc = nvml.GetUuid(device, text)) != NvmlReturn.Success)
        {
            return rc;
        }

        var uuid = Decode(text);
        failedCall = "nvmlDeviceGetMemoryInfo";
        if ((rc = nvml.GetMemoryInfo(device, out var memory)) != NvmlReturn.Success)
        {
            return rc;
        }

        failedCall = "nvmlDeviceGetUtilizationRates";
        if (Failed(rc = nvml.GetUtilizationRates(device, out var utilization)))
        {
            return rc;
        }

        failedCall = "nvmlDeviceGetTemperature";
        if (Failed(rc = nvml.GetTemperature(device, out var celsius)))
        {
            return rc;
        }

        failedCall = "nvmlDeviceGetPowerUsage";
        if (Failed(rc = nvml.GetPowerUsage(device, out var milliwatts)))
        {
            return rc;
        }

        failedCall = "nvmlDeviceGetComputeRunningProcesses";
        if (Failed(rc = ReadProcesses(device, out var processes)))
        {
            return rc;
        }

        failedCall = string.Empty;
        reading = new GpuReading
        {
            Index = (int)index,
            Name = name,
            Uuid = uuid,
            Available = true,
            MemoryTotalBytes = memory.Total,
            MemoryUsedBytes = memory.Used,
            MemoryFreeBytes = memory.Free,
            UtilizationPercent = utilization.Gpu,
            TemperatureCelsius = celsius,
            PowerWatts = milliwatts / 1000.0,
            Processes = processes,
        };
        return NvmlReturn.Success;
    }

    // Some boards (and containers without the right capabilities) refuse these queries; that
    // says nothing about the GPU's health, so the value stays zero and the device stays usable.
    private static bool Failed(NvmlReturn rc) =>
        rc is not (NvmlReturn.Success or NvmlReturn.NotSupported or NvmlReturn.NoPermission);

    private static string Decode(ReadOnlySpan<byte> text)
    {
        var end = text.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? text : text[..end]);
    }

    private NvmlReturn ReadProcesses(nint device, out IReadOnlyList<GpuProcess> processes)
    {
        processes = [];
        for (var attempt = 0; attempt < ProcessAttempts; attempt++)
        {
            var count = (uint)processBuffer.Length;
            var rc = nvml.GetComputeRunningProcesses(device, ref count, processBuffer);
            if (rc == NvmlReturn.Success)
            {
                processes = ToProcesses(processBuffer.AsSpan(0, (int)Math.Min(count, (uint)processBuffer.Length)));
                return rc;
            }

            if (rc != NvmlReturn.InsufficientSize)
            {
                return rc;
            }

            // NVML wrote the count it needs; headroom covers processes starting before the retry.
            processBuffer = new NvmlProcessInfo[Math.Max((int)count + 8, processBuffer.Length * 2)];
        }

        return NvmlReturn.InsufficientSize;
    }

    private static GpuProcess[] ToProcesses(ReadOnlySpan<NvmlProcessInfo> infos)
    {
        var result = new GpuProcess[infos.Length];
        for (var i = 0; i < infos.Length; i++)
        {
            var used = infos[i].UsedGpuMemory;
            result[i] = new GpuProcess(infos[i].Pid, used == NvmlProcessInfo.ValueNotAvailable ? 0 : used);
        }

        return result;
    }
}

namespace GpuRouter.Gpu;

/// <summary>
/// Each GPU's total memory as NVML reports it, read once at start-up for the config's memory
/// check (before the poller runs). Null when the library is missing or NVML does not answer.
/// </summary>
public static class NvmlTotals
{
    public static IReadOnlyDictionary<int, long>? Read(string library)
    {
        if (!NvmlLibrary.TryLoad(library, out var nvml, out _)) return null;
        using (nvml)
        {
            if (nvml.Init() != NvmlReturn.Success || nvml.GetCount(out var count) != NvmlReturn.Success) return null;
            var totals = new Dictionary<int, long>();
            for (var i = 0u; i < count; i++)
            {
                if (nvml.GetHandleByIndex(i, out var device) == NvmlReturn.Success
                    && nvml.GetMemoryInfo(device, out var memory) == NvmlReturn.Success)
                {
                    totals[(int)i] = (long)memory.Total;
                }
            }
            return totals;
        }
    }
}

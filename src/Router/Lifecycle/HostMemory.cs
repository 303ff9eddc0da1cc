using System.Globalization;
using GpuRouter.Configuration;

namespace GpuRouter.Lifecycle;

/// <summary>
/// This host's RAM as sleeping weights may use it, read from <c>/proc/meminfo</c> (a path tests
/// replace): the budget is <c>host.memoryBudget</c> (default half of MemTotal), and a new sleeper's
/// weights must fit in MemAvailable less <c>host.memoryMargin</c>. A file that cannot be read gives
/// no MemAvailable limit and, without a configured budget, a budget of 0: nothing sleeps.
/// </summary>
internal sealed class HostMemory(HostMemoryOptions options, string meminfoPath = "/proc/meminfo")
{
    public HostBudget Read()
    {
        var (total, available) = Meminfo();
        var budget = options.MemoryBudgetBytes ?? (total is { } t ? t / 2 : 0);
        var room = available is { } a ? Math.Max(0, a - options.MemoryMarginBytes) : long.MaxValue;
        return new HostBudget(budget, room);
    }

    private (long? Total, long? Available) Meminfo()
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(meminfoPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, null);
        }
        return (Field(lines, "MemTotal:"), Field(lines, "MemAvailable:"));
    }

    // "MemAvailable:   12345678 kB"
    private static long? Field(string[] lines, string name)
    {
        var line = lines.FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal));
        if (line is null) return null;
        var parts = line[name.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length > 0 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kib) ? kib * 1024 : null;
    }
}

namespace VllmSim.Engine;

/// <summary>
/// FNV-1a over UTF-16 code units plus a final mix: stable across processes and runtimes
/// (string.GetHashCode is randomized per process), so generated text is reproducible.
/// </summary>
internal static class StableHash
{
    private const ulong Offset = 14695981039346656037;
    private const ulong Prime = 1099511628211;

    public static ulong Of(ReadOnlySpan<char> text, ulong seed = 0)
    {
        var hash = Offset ^ seed;
        foreach (var c in text)
        {
            hash = (hash ^ c) * Prime;
        }
        return Mix(hash);
    }

    /// <summary>Combines two values into a well-spread 64-bit value (splitmix64 finalizer).</summary>
    public static ulong Mix(ulong value)
    {
        value ^= value >> 30;
        value *= 0xbf58476d1ce4e5b9;
        value ^= value >> 27;
        value *= 0x94d049bb133111eb;
        value ^= value >> 31;
        return value;
    }

    public static ulong Combine(ulong a, ulong b) => Mix(a ^ (b + 0x9e3779b97f4a7c15 + (a << 6) + (a >> 2)));
}

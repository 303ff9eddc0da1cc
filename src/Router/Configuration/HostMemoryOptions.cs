namespace GpuRouter.Configuration;

/// <summary>
/// The <c>host:</c> section: this box's RAM as sleeping instances may use it.
/// </summary>
/// <param name="MemoryBudgetBytes">RAM sleeping weights may take in total; null: half of MemTotal.</param>
/// <param name="MemoryMarginBytes">MemAvailable must keep this much after a sleep's weights arrive.</param>
public sealed record HostMemoryOptions(long? MemoryBudgetBytes, long MemoryMarginBytes)
{
    /// <summary>The host's name in the room-making rule's (host, GPU) key; remote hosts come with <c>hosts:</c>.</summary>
    public const string Local = "local";

    public static readonly long DefaultMarginBytes = 2L << 30;

    public static HostMemoryOptions Default { get; } = new(null, DefaultMarginBytes);
}

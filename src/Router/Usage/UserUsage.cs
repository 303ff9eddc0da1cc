namespace GpuRouter.Usage;

/// <summary>What one Open WebUI user used since the start, and the name last seen for the id.</summary>
internal sealed class UserUsage
{
    private string? _name;

    public UsageCounter Counter { get; } = new();

    public string? Name => Volatile.Read(ref _name);

    public void Add(in UsageEvent e)
    {
        Counter.Add(e);
        if (e.UserName is { } name && !ReferenceEquals(name, _name)) Volatile.Write(ref _name, name);
    }
}

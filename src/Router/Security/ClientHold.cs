namespace GpuRouter.Security;

/// <summary>A request's place in its client's <c>maxConcurrent</c>; released once, by the <c>using</c> that took it.</summary>
public readonly struct ClientHold : IDisposable
{
    private readonly HeldCount? _count;

    internal ClientHold(HeldCount count) => _count = count;

    public void Dispose() => _count?.Exit();
}

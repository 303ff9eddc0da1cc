namespace Router.Tests.Fixtures;

/// <summary>A <see cref="PrivateDockerd"/> with the simulator image (built from this checkout) loaded, for one test class.</summary>
public sealed class PrivateEngine : IAsyncLifetime
{
    private PrivateDockerd? _dockerd;

    internal PrivateDockerd Dockerd => _dockerd ?? throw new InvalidOperationException("The private dockerd did not start.");

    public async Task InitializeAsync()
    {
        await SimImage.EnsureBuiltAsync();
        _dockerd = await PrivateDockerd.StartAsync();
        await _dockerd.LoadImageAsync(SimImage.Name);
    }

    public async Task DisposeAsync()
    {
        if (_dockerd is not null) await _dockerd.DisposeAsync();
    }
}

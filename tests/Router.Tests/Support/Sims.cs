using VllmSim;

namespace Router.Tests;

/// <summary>Simulated vLLM servers on real loopback ports, disposed with the test.</summary>
internal sealed class Sims : IAsyncDisposable
{
    private readonly List<SimServer> _servers = [];

    public async Task<SimServer> StartAsync(string model, Action<SimOptions>? configure = null)
    {
        var options = new SimOptions { Model = model, Port = 0 };
        configure?.Invoke(options);
        var server = await SimServer.StartAsync(options);
        _servers.Add(server);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers) await server.DisposeAsync();
    }
}

using VllmSim;

namespace Router.Tests;

/// <summary>Simulated vLLM servers on real loopback ports, disposed with the test.</summary>
internal sealed class Sims : IAsyncDisposable
{
    private readonly List<SimServer> _servers = [];

    public async Task<SimServer> StartAsync(string model, Action<SimOptions>? configure = null)
    {
        // Warnings and errors only: dozens of simulators' start-up lines would bury the test output.
        var options = new SimOptions { Model = model, Port = 0, LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning };
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

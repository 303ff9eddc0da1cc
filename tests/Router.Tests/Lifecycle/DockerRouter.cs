namespace Router.Tests.Lifecycle;

/// <summary>
/// A router whose instances are simulator containers on the real Docker engine (host network,
/// loopback ports). Instance names carry a per-test prefix so parallel tests never share a container.
/// </summary>
internal sealed class DockerRouter : IAsyncDisposable
{
    private static int _nextPortBlock;
    private readonly List<RouterFactory> _routers = [];

    public DockerRouter()
    {
        Prefix = "t" + Guid.NewGuid().ToString("N")[..8];
        var block = Interlocked.Increment(ref _nextPortBlock) % 90;
        PortRange = $"{19000 + block * 10}-{19000 + block * 10 + 9}";
    }

    public string Prefix { get; }

    public string PortRange { get; }

    /// <summary>Shared by every router of one test, so a restarted router owns (and adopts) the same containers.</summary>
    public string StateDir { get; } = Path.Combine(Path.GetTempPath(), "router-docker-state-" + Guid.NewGuid().ToString("N"));

    public List<string> Instances { get; } = [];

    public string Name(string instance)
    {
        var name = $"{Prefix}_{instance}";
        if (!Instances.Contains(name)) Instances.Add(name);
        return name;
    }

    /// <summary>The config around a models section; routing and docker defaults fit tests.</summary>
    public string Config(string models, string routing = "", string docker = "") => $$"""
        {{TestKeys.ClientsYaml}}
        state: { dir: "{{StateDir}}" }
        docker: { network: host, portRange: "{{PortRange}}", gpuAccess: none {{docker}} }
        routing: { coldStartTimeout: 60s, queueTimeout: 60s, streamIdleTimeout: 30s, healthPollInterval: 50ms {{routing}} }
        models:
        {{models}}
        """;

    public RouterFactory Start(string config)
    {
        var router = new RouterFactory(config);
        _routers.Add(router);
        return router;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var router in _routers) await router.DisposeAsync();
        await DockerCli.RemoveAsync([.. Instances]);
        if (Directory.Exists(StateDir)) Directory.Delete(StateDir, recursive: true);
    }
}

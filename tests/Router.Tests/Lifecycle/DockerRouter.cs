namespace Router.Tests.Lifecycle;

/// <summary>
/// A router whose instances are simulator containers on a real Docker engine (host network,
/// loopback ports), the machine's or a <see cref="PrivateDockerd"/> given as <c>endpoint</c>.
/// Instance names carry a per-test prefix so parallel tests never share a container, and the
/// ports come from a <see cref="PortBlock"/> no other test process holds.
/// </summary>
internal sealed class DockerRouter(string? endpoint = null) : IAsyncDisposable
{
    private readonly List<RouterFactory> _routers = [];
    private readonly PortBlock _ports = PortBlock.Take();

    public string Prefix { get; } = "t" + Guid.NewGuid().ToString("N")[..8];

    public string PortRange => _ports.Range;

    /// <summary>The engine's endpoint for the config and the docker CLI; null for the machine's.</summary>
    public string? Endpoint => endpoint;

    /// <summary>Shared by every router of one test, so a restarted router owns (and adopts) the same containers.</summary>
    public string StateDir { get; } = Path.Combine(Path.GetTempPath(), "router-docker-state-" + Guid.NewGuid().ToString("N"));

    public List<string> Instances { get; } = [];

    public string Name(string instance)
    {
        var name = $"{Prefix}_{instance}";
        if (!Instances.Contains(name)) Instances.Add(name);
        return name;
    }

    /// <summary>One model of the simulator image with one instance (named through <see cref="Name"/>), as a models entry ending in a newline.</summary>
    public string SimModel(string model, string instance, int gpu, double share, int maxConcurrent = 8, string args = "") => $$"""
          - name: {{model}}
            image: {{DockerCli.SimImage}}
            hfModel: sim/{{model}}
            args: [{{args}}]
            instances:
              - { name: {{Name(instance)}}, gpus: [{{gpu}}], maxModelLen: 8192, maxConcurrent: {{maxConcurrent}}, gpuMemoryUtilization: {{share.ToString(System.Globalization.CultureInfo.InvariantCulture)}} }

        """;

    /// <summary>The config around a models section; routing and docker defaults fit tests.</summary>
    public string Config(string models, string routing = "", string docker = "") => $$"""
        {{TestKeys.ClientsYaml}}
        state: { dir: "{{StateDir}}" }
        docker: { network: host, portRange: "{{PortRange}}", gpuAccess: none {{EndpointYaml}} {{docker}} }
        routing: { coldStartTimeout: 60s, queueTimeout: 60s, streamIdleTimeout: 30s, healthPollInterval: 50ms {{routing}} }
        models:
        {{models}}
        """;

    public RouterFactory Start(string config, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services = null)
    {
        var router = new RouterFactory(config, services);
        _routers.Add(router);
        return router;
    }

    /// <summary>Ids of the containers (running or not) of an instance, on this router's engine.</summary>
    public Task<string[]> ContainersAsync(string instance) => DockerCli.ContainersAsync(instance, endpoint);

    public async ValueTask DisposeAsync()
    {
        foreach (var router in _routers) await router.DisposeAsync();
        await DockerCli.RemoveOnAsync(endpoint, [.. Instances]);
        if (Directory.Exists(StateDir)) Directory.Delete(StateDir, recursive: true);
        _ports.Dispose();
    }

    private string EndpointYaml => endpoint is null ? "" : $", endpoint: \"{endpoint}\"";
}

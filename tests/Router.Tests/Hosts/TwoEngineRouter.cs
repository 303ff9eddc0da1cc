using System.Globalization;
using System.Text.Json;
using Router.Tests.Fixtures;
using Router.Tests.Lifecycle;

namespace Router.Tests.Hosts;

/// <summary>
/// Routers with instances on two real engines: the machine's dockerd (the local engine) and a
/// <see cref="TlsEngine"/> as the remote GPU host <see cref="Host"/>, reached over TLS, its
/// containers on the host network at 127.0.0.2. Instance names carry the test's prefix on both.
/// </summary>
internal sealed class TwoEngineRouter(TlsEngine remote) : IAsyncDisposable
{
    public const string Host = "gpu2";

    public DockerRouter Local { get; } = new();

    public TlsEngine Remote => remote;

    public string Name(string instance) => Local.Name(instance);

    /// <summary>The config: the local engine as DockerRouter's, the remote host with one GPU, batch and interactive callers preferring local GPU 0.</summary>
    public string Config(string models, string routing = "") => $$"""
        {{TestKeys.ClientsYaml}}
        state: { dir: "{{Local.StateDir}}" }
        docker: { network: host, portRange: "{{Local.PortRange}}", gpuAccess: none }
        routing: { coldStartTimeout: 60s, queueTimeout: 60s, streamIdleTimeout: 30s, healthPollInterval: 50ms, interactiveGpu: 0, batchGpu: 0 {{routing}} }
        hosts:
          - name: {{Host}}
            docker: "{{remote.Endpoint}}"
            tls: { ca: "{{remote.Pki.Ca}}", cert: "{{remote.Pki.ClientCert}}", key: "{{remote.Pki.ClientKey}}" }
            address: {{TlsEngine.Address}}
            network: host
            gpuAccess: none
            portRange: "{{remote.ContainerPort(0)}}-{{remote.ContainerPort(8)}}"
            gpus: [ { index: 0, memory: 24GiB } ]
        models:
        {{models}}
        """;

    /// <summary>A model with instances given as YAML lines (each "- { ... }").</summary>
    public static string Model(string model, params string[] instances) => $$"""
          - name: {{model}}
            image: {{DockerCli.SimImage}}
            hfModel: sim/{{model}}
            instances:
        {{string.Join("\n", instances.Select(i => "      " + i))}}

        """;

    public string OnRemote(string instance, double share, int maxConcurrent = 8, string args = "") =>
        $"- {{ name: {Name(instance)}, host: {Host}, gpus: [0], maxModelLen: 8192, maxConcurrent: {maxConcurrent}, gpuMemoryUtilization: {Share(share)}, args: [{args}] }}";

    public string OnLocal(string instance, int gpu, double share, int maxConcurrent = 8, string args = "") =>
        $"- {{ name: {Name(instance)}, gpus: [{gpu}], maxModelLen: 8192, maxConcurrent: {maxConcurrent}, gpuMemoryUtilization: {Share(share)}, args: [{args}] }}";

    public RouterFactory Start(string config, LogCapture? logs = null) => Local.Start(config, logs is null ? null : logs.AddTo);

    public Task<string[]> RemoteContainersAsync(string instance) => DockerCli.ContainersAsync(Name(instance), remote.Dockerd.Endpoint);

    public Task<string[]> LocalContainersAsync(string instance) => DockerCli.ContainersAsync(Name(instance));

    /// <summary>docker inspect of a container on the remote engine, as JSON.</summary>
    public async Task<JsonElement> InspectRemoteAsync(string id)
    {
        using var doc = JsonDocument.Parse(await DockerCli.RunOnAsync(remote.Dockerd.Endpoint, "inspect", id));
        return doc.RootElement[0].Clone();
    }

    /// <summary>The value after <paramref name="flag"/> in the container's command.</summary>
    public static string? Arg(JsonElement inspect, string flag)
    {
        var cmd = inspect.GetProperty("Config").GetProperty("Cmd").EnumerateArray().Select(a => a.GetString()).ToList();
        var at = cmd.IndexOf(flag);
        return at >= 0 && at + 1 < cmd.Count ? cmd[at + 1] : null;
    }

    public async ValueTask DisposeAsync()
    {
        string[] names = [.. Local.Instances];
        await Local.DisposeAsync();
        // A test that stopped the remote engine leaves it to be started again for the cleanup.
        if (!await AnswersAsync()) await remote.Dockerd.StartAsync();
        await DockerCli.RemoveOnAsync(remote.Dockerd.Endpoint, names);
    }

    public async Task<bool> AnswersAsync()
    {
        using var client = remote.Dockerd.Client();
        try
        {
            await client.PingAsync(CancellationToken.None);
            return true;
        }
        catch (GpuRouter.Docker.DockerUnavailableException)
        {
            return false;
        }
    }

    private static string Share(double share) => share.ToString(CultureInfo.InvariantCulture);
}

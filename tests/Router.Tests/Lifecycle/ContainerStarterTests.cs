using GpuRouter.Hosting;
using System.Collections.Concurrent;
using GpuRouter.Configuration;
using GpuRouter.Docker;
using GpuRouter.Lifecycle;
using Microsoft.Extensions.Logging.Abstractions;
using Router.Tests.Docker;
using VllmSim;

namespace Router.Tests.Lifecycle;

/// <summary>
/// Starts against a fake daemon serving a real engine's answers. On a user-defined bridge network
/// the router creates and starts the container, reads its address on that network from inspect
/// (Fixtures/DockerInspect), and polls that address, not the container's name, which a router on
/// the host cannot resolve. Our engines have no bridge networking, so a simulator listens at the
/// "container's" address: a loopback address of its own, on vLLM's port 8000. Also: images the
/// router cannot drive are refused before anything is created, and a model's own cold-start timeout.
/// </summary>
public sealed class ContainerStarterTests
{
    private const string Id = "3f1c9a7e5d2b48c6a0e4f8b1d7c2a9e6b5f3d1c8a7e2b4f6d9c0a1e3b5f7d2c4";

    [Fact]
    public async Task Start_OnBridgeNetwork_ProbesAndAnswersAtTheAddressFromInspect()
    {
        await using var sim = await ListenOnSomeLoopbackAddressAsync();
        var ip = sim.BaseAddress.Host;

        var (outcome, created) = await StartAsync(Recorded().Replace("172.20.0.5", ip, StringComparison.Ordinal));

        // Healthy means /health answered at that address, where only the simulator listens.
        Assert.Null(outcome.Error);
        Assert.Equal(new Uri($"http://{ip}:8000/"), outcome.Address);
        Assert.Equal(Id, outcome.ContainerId);
        Assert.Single(created);
    }

    [Fact]
    public async Task Start_ContainerNotOnTheNetwork_FailsNamingIt()
    {
        var (outcome, _) = await StartAsync(Recorded().Replace("\"llm_net\": {", "\"other_net\": {", StringComparison.Ordinal));

        Assert.Equal("start_failed", outcome.Error!.Code);
        Assert.Contains("no address on Docker network 'llm_net'", outcome.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_NothingAnswersWithinTheModelsOwnColdStartTimeout_FailsNamingThatTimeout()
    {
        // An address where nothing listens: the container "loads" until the model's 1 s timeout, not routing's 20 s.
        var (outcome, _) = await StartAsync(Recorded().Replace("172.20.0.5", "127.251.0.9", StringComparison.Ordinal), modelColdStart: "coldStartTimeout: 1s");

        Assert.Equal("start_timeout", outcome.Error!.Code);
        Assert.Contains("within the coldStartTimeout of model llama (1s)", outcome.Error.Message, StringComparison.Ordinal);
    }

    private static string Recorded() =>
        File.ReadAllText(Path.Combine(RepoRoot.Path, "tests", "Router.Tests", "Fixtures", "DockerInspect", "bridge-network-container.json"));

    [Fact]
    public async Task Start_ImageWithTheOldApiServerEntrypoint_IsRefusedBeforeAnythingIsCreated()
    {
        var (outcome, created) = await StartAsync(Recorded(), entrypoint: """["python3","-m","vllm.entrypoints.openai.api_server"]""");

        Assert.Equal("start_failed", outcome.Error!.Code);
        Assert.Contains("runs `python3 -m vllm.entrypoints.openai.api_server`, which does not take the model as its first argument", outcome.Error.Message, StringComparison.Ordinal);
        Assert.Empty(created);
    }

    private static async Task<(StartOutcome Outcome, ConcurrentQueue<string> Created)> StartAsync(
        string inspect, string entrypoint = """["vllm","serve"]""", string modelColdStart = "")
    {
        var created = new ConcurrentQueue<string>();
        await using var daemon = new FakeDockerDaemon(line => line switch
        {
            _ when line.StartsWith("GET /version ", StringComparison.Ordinal) =>
                FakeDockerDaemon.Json(200, """{"Version":"27.5.1","ApiVersion":"1.47","MinAPIVersion":"1.24","Os":"linux","Arch":"amd64"}"""),
            _ when line.Contains("/images/vllm/vllm-openai:v0.28.0/json", StringComparison.Ordinal) =>
                FakeDockerDaemon.Json(200, $$$"""{"Id":"sha256:9d2e","RepoTags":["vllm/vllm-openai:v0.28.0"],"Config":{"Entrypoint":{{{entrypoint}}}}}"""),
            _ when line.Contains("/containers/llama_0/json", StringComparison.Ordinal) => FakeDockerDaemon.Json(404, """{"message":"No such container: llama_0"}"""),
            _ when line.Contains("/containers/create?name=llama_0", StringComparison.Ordinal) => Created(created, line),
            _ when line.Contains($"/containers/{Id}/start", StringComparison.Ordinal) => "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n",
            _ when line.Contains($"/containers/{Id}/json", StringComparison.Ordinal) => FakeDockerDaemon.Json(200, inspect),
            _ when line.StartsWith($"DELETE /v1.47/containers/{Id}?", StringComparison.Ordinal) => "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n",
            _ => FakeDockerDaemon.Json(500, $$"""{"message":"unexpected {{line}}"}"""),
        });
        var settings = ConfigLoader.Load($$"""
            docker: { endpoint: "{{daemon.Endpoint}}", network: llm_net, gpuAccess: none }
            routing: { coldStartTimeout: 20s }
            models:
              - name: llama
                image: vllm/vllm-openai:v0.28.0
                hfModel: meta-llama/Llama-3.1-8B-Instruct
                {{modelColdStart}}
                instances:
                  - { name: llama_0, gpus: [0], maxModelLen: 32768, maxConcurrent: 3 }
            """, "test.yaml", _ => null);
        using var docker = new DockerEngineClient(new DockerOptions { Endpoint = daemon.Endpoint }, TimeProvider.System, NullLogger<DockerEngineClient>.Instance);
        using var probe = new HealthProbe();
        var starter = new ContainerStarter(docker, new ContainerSpecFactory(settings.Docker, "owner", _ => null), new PortAllocator(settings.Docker),
            probe, settings.Lifecycle, TimeProvider.System, NullLogger<ContainerStarter>.Instance);
        var outcome = await starter.StartAsync(settings.Instances.Single(), _ => { }, () => { }, new TaskCompletionSource().Task, CancellationToken.None);
        return (outcome, created);
    }

    private static string Created(ConcurrentQueue<string> created, string line)
    {
        created.Enqueue(line);
        return FakeDockerDaemon.Json(201, $$"""{"Id":"{{Id}}","Warnings":[]}""");
    }

    // vLLM listens on 8000 inside its container; a loopback address of our own stands for the
    // container's address, so the port is free whatever else this machine runs.
    private static async Task<SimServer> ListenOnSomeLoopbackAddressAsync()
    {
        for (var attempt = 0; ; attempt++)
        {
            var host = $"127.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(0, 256)}.{Random.Shared.Next(2, 255)}";
            try
            {
                return await SimServer.StartAsync(new SimOptions { Model = "meta-llama/Llama-3.1-8B-Instruct", Host = host, Port = ContainerSpecFactory.ContainerPort });
            }
            catch (IOException) when (attempt < 10)
            {
                // That address and port are taken: another.
            }
        }
    }
}

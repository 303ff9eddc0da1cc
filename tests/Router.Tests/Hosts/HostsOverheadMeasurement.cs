using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Router.Tests.Fixtures;
using Xunit.Abstractions;

namespace Router.Tests.Hosts;

/// <summary>
/// The router's added latency to an instance on the second engine (over its address, with its
/// key) against one on the local engine: the same tiny chat sent straight to each container and
/// through the router, interleaved, a bounded number of rounds (GPU_ROUTER_MEASURE_ROUNDS, 300).
/// Run by scripts/measure-hosts.sh; numbers in BENCHMARKS.md.
/// </summary>
[Collection(DockerEngineCollection.Name)]
public sealed class HostsOverheadMeasurement(TlsEngine engine, ITestOutputHelper output) : IClassFixture<TlsEngine>, IAsyncLifetime
{
    private readonly TwoEngineRouter _two = new(engine);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _two.DisposeAsync();

    [MeasurementFact]
    public async Task AddedLatency_RemoteInstanceVsLocal()
    {
        var rounds = int.TryParse(Environment.GetEnvironmentVariable("GPU_ROUTER_MEASURE_ROUNDS"), out var r) ? r : 300;
        var router = _two.Start(_two.Config(
            TwoEngineRouter.Model("llama", _two.OnLocal("llama_l", gpu: 0, share: 0.5, maxConcurrent: 4))
            + TwoEngineRouter.Model("big", _two.OnRemote("big_r", share: 0.5, maxConcurrent: 4))));
        using var client = router.Client(TestKeys.N8n);
        foreach (var model in new[] { "llama", "big" })
        {
            using var warm = await client.PostChatAsync(Http.Chat(model, "warm up", maxTokens: 1));
            await warm.ExpectAsync(HttpStatusCode.OK);
        }
        using var local = await DirectAsync(Assert.Single(await _two.LocalContainersAsync("llama_l")), null);
        using var remote = await DirectAsync(Assert.Single(await _two.RemoteContainersAsync("big_r")), engine.Dockerd.Endpoint);

        var times = new Dictionary<string, List<double>> { ["local direct"] = [], ["local via router"] = [], ["remote direct"] = [], ["remote via router"] = [] };
        for (var i = 0; i < rounds + 20; i++)
        {
            var keep = i >= 20;
            await TimeAsync(local, "llama", keep ? times["local direct"] : null);
            await TimeAsync(client, "llama", keep ? times["local via router"] : null);
            await TimeAsync(remote, "big", keep ? times["remote direct"] : null);
            await TimeAsync(client, "big", keep ? times["remote via router"] : null);
        }

        foreach (var (name, list) in times) output.WriteLine($"{name}: median {Percentile(list, 50):0.000} ms, p99 {Percentile(list, 99):0.000} ms (n={list.Count})");
        foreach (var target in new[] { "local", "remote" })
        {
            var added = times[$"{target} via router"].Zip(times[$"{target} direct"], (a, b) => a - b).ToList();
            output.WriteLine($"{target}: router adds median {Percentile(added, 50):0.000} ms, p99 {Percentile(added, 99):0.000} ms (paired by round)");
        }
    }

    // A client straight to the container: its address and port from its command line, its key if it has one.
    private async Task<HttpClient> DirectAsync(string container, string? engineEndpoint)
    {
        using var doc = JsonDocument.Parse(await DockerCli.RunOnAsync(engineEndpoint, "inspect", container));
        var inspect = doc.RootElement[0];
        var client = new HttpClient { BaseAddress = new Uri($"http://{TwoEngineRouter.Arg(inspect, "--host")}:{TwoEngineRouter.Arg(inspect, "--port")}/") };
        if (TwoEngineRouter.Arg(inspect, "--api-key") is { } key) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static async Task TimeAsync(HttpClient client, string model, List<double>? into)
    {
        var clock = Stopwatch.StartNew();
        using var response = await client.PostChatAsync(Http.Chat(model, "hi", maxTokens: 1));
        await response.Content.ReadAsByteArrayAsync();
        var ms = clock.Elapsed.TotalMilliseconds;
        await response.ExpectAsync(HttpStatusCode.OK);
        into?.Add(ms);
    }

    private static double Percentile(List<double> values, int p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}

using System.Net;
using Router.Tests.Fixtures;
using Router.Tests.Lifecycle;

namespace Router.Tests.Telemetry;

/// <summary>
/// The dashboard's lifecycle panels (cold starts, evictions, restarts) against real events: two
/// simulator containers that cannot share GPU 0, and one killed behind the router's back.
/// </summary>
[Collection(DockerEngineCollection.Name)]
public sealed class DashboardLifecycleTests : IAsyncLifetime
{
    private readonly DockerRouter _docker = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _docker.DisposeAsync();

    [Fact]
    public async Task ColdStartEvictionAndCrash_AppearOnTheLiveMetricsPageTheDashboardQueries()
    {
        var a = _docker.Name("a_0");
        var b = _docker.Name("b_0");
        var router = _docker.Start(_docker.Config($$"""
              - name: a
                image: {{DockerCli.SimImage}}
                hfModel: sim/a
                instances:
                  - { name: {{a}}, gpus: [0], maxModelLen: 8192, maxConcurrent: 2, gpuMemoryUtilization: 0.6 }
              - name: b
                image: {{DockerCli.SimImage}}
                hfModel: sim/b
                instances:
                  - { name: {{b}}, gpus: [0], maxModelLen: 8192, maxConcurrent: 2, gpuMemoryUtilization: 0.6 }
            """));
        using var client = router.Client(TestKeys.WebUi);

        await ChatAsync(client, "a");
        // 0.6 + 0.6 does not fit on one GPU: starting b stops the idle a.
        await ChatAsync(client, "b");
        // SIGTERM, not docker kill's SIGKILL: the router reads exit code 137 as an out-of-memory death.
        await DockerCli.RunAsync("kill", "--signal", "TERM", Assert.Single(await DockerCli.ContainersAsync(b)));

        MetricsPage page = null!;
        await global::Router.Tests.Eventually.TrueAsync(async () =>
        {
            page = await MetricsPage.ScrapeAsync(client);
            return page.Sum("router_instance_restarts_total", ("instance", b)) == 1;
        }, "the crash is counted", 20_000);
        Assert.Equal(1, page.Sum("router_cold_start_seconds_count", ("instance", a)));
        Assert.Equal(1, page.Sum("router_cold_start_seconds_count", ("instance", b)));
        Assert.Equal(1, page.Sum("router_evictions_total", ("instance", a), ("reason", "vram")));
        Assert.Equal(1, page.Sum("router_instance_restarts_total", ("instance", b), ("reason", "crash")));
        Assert.Equal(1, page.Sum("router_instance_state", ("instance", b), ("state", "Failed")));
    }

    private static async Task ChatAsync(HttpClient client, string model)
    {
        using var response = await client.PostChatAsync(Http.Chat(model, maxTokens: 2));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{model}: {(int)response.StatusCode} {body}");
    }
}

using System.Net;
using System.Text.Json;
using Router.Tests.Fixtures;

namespace Router.Tests.Lifecycle;

/// <summary>
/// The router process killed outright (SIGKILL: the OOM killer, a power cut of the service) while
/// it streams, then started again as systemd would: a separate process each time, against the
/// real engine, sharing the config and the state folder.
/// </summary>
[Collection(DockerEngineCollection.Name)]
public sealed class RouterKillTests : IAsyncLifetime
{
    private static readonly TimeSpan ReadyWithin = TimeSpan.FromSeconds(60);
    private readonly DockerRouter _docker = new();
    private readonly string _configPath = Path.Combine(Path.GetTempPath(), $"router-kill-{Guid.NewGuid():N}.yaml");

    public Task InitializeAsync() =>
        File.WriteAllTextAsync(_configPath, _docker.Config(_docker.SimModel("llama", "llama_0", gpu: 0, share: 0.5, args: "\"--itl-ms\", \"50\"")));

    public async Task DisposeAsync()
    {
        await _docker.DisposeAsync();
        File.Delete(_configPath);
    }

    [Fact]
    public async Task RouterKilledWhileStreaming_RestartedRouterAdoptsTheRunningContainerAndServesWithoutColdStart()
    {
        string container;
        await using (var first = await RouterProcess.StartAsync(_configPath, ReadyWithin))
        {
            using var client = first.Client(TestKeys.N8n);
            using var admin = first.Client(TestKeys.Admin);
            using (var warm = await client.PostChatAsync(Http.Chat("llama", "warm up")))
            {
                await warm.ExpectAsync(HttpStatusCode.OK);
                Assert.NotEqual("", warm.Header("X-Router-Cold-Start-Ms"));
            }
            container = Assert.Single(await _docker.ContainersAsync(_docker.Name("llama_0")));
            var started = Enumerable.Range(0, 3).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToList();
            var streams = started.Select((first, i) => ReadAsync(client, Http.Chat("llama", $"stream {i}", stream: true, maxTokens: 5000), first)).ToList();
            // Each has brought its first token: streaming, not just holding a slot.
            await Task.WhenAll(started.Select(s => s.Task)).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(3, (await InstanceAsync(admin)).GetProperty("inFlight").GetInt32());

            await first.KillAsync();

            // Nothing of the router is left to send an error frame: the clients see the connection go.
            Assert.All(await Task.WhenAll(streams), cut => Assert.True(cut, "a stream ended normally although its router was killed"));
        }
        Assert.Equal("true", await DockerCli.RunAsync("inspect", "--format", "{{.State.Running}}", container));

        await using var second = await RouterProcess.StartAsync(_configPath, ReadyWithin);
        using var client2 = second.Client(TestKeys.N8n);
        using var admin2 = second.Client(TestKeys.Admin);
        var adopted = await InstanceAsync(admin2);
        Assert.Equal("Ready", adopted.GetProperty("state").GetString());
        Assert.Equal(container, adopted.GetProperty("containerId").GetString());
        using var next = await client2.PostChatAsync(Http.Chat("llama", "after the restart"));
        await next.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("", next.Header("X-Router-Cold-Start-Ms"));
        Assert.Equal([container], await _docker.ContainersAsync(_docker.Name("llama_0")));
    }

    // True when the stream was cut (no [DONE]), false when it ended normally.
    private static async Task<bool> ReadAsync(HttpClient client, string body, TaskCompletionSource firstToken)
    {
        var last = "";
        try
        {
            using var response = await client.PostChatAsync(body);
            await response.ExpectAsync(HttpStatusCode.OK);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            while (await reader.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("data: {\"id\"", StringComparison.Ordinal)) firstToken.TrySetResult();
                if (line.Length > 0) last = line;
            }
            return last != "data: [DONE]";
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            return true;
        }
        finally
        {
            firstToken.TrySetResult();
        }
    }

    private static async Task<JsonElement> InstanceAsync(HttpClient admin)
    {
        using var doc = JsonDocument.Parse(await admin.GetStringAsync("/admin/instances"));
        return doc.RootElement.GetProperty("instances")[0].Clone();
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using VllmSim.Tests.Support;

namespace VllmSim.Tests.Container;

/// <summary>The image on a real Docker engine, reached on a loopback port of the host network.</summary>
public sealed class ContainerTests : IAsyncLifetime
{
    private readonly List<string> containers = [];

    public Task InitializeAsync() => SimImage.EnsureBuiltAsync();

    public async Task DisposeAsync()
    {
        foreach (var name in containers)
        {
            await DockerCli.DockerAsync("rm", "-f", name);
        }
    }

    [Fact]
    public async Task Container_Started_HealthyOnItsLoopbackPortAndStreamsAChat()
    {
        var (port, started) = await RunAsync("--model", "org/model", "--served-model-name", "m", "--itl-ms", "5");

        await WaitHealthyAsync(port, started);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        using var response = await client.PostStreamAsync("/v1/chat/completions", """{"model":"m","messages":[{"role":"user","content":"hi"}],"max_tokens":4,"stream":true}""");
        var events = await Sse.ReadAllAsync(response, Stopwatch.StartNew());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(events[^1].IsDone);
        Assert.Equal(6, events.Count);
        Assert.Equal("m", events[0].Json.GetProperty("model").GetString());
    }

    [Fact]
    public async Task Container_ExitAfterRequests_DiesWithItsCodeAndTheOomLineLastInItsLogs()
    {
        var (port, started) = await RunAsync("org/model", "--exit-after-requests", "1", "--exit-code", "137", "--itl-ms", "20");
        var name = containers[^1];
        await WaitHealthyAsync(port, started);

        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        var cut = await Record.ExceptionAsync(async () =>
        {
            using var response = await client.PostStreamAsync("/v1/chat/completions", """{"messages":[{"role":"user","content":"x"}],"max_tokens":100,"stream":true}""");
            await Sse.ReadAllAsync(response, Stopwatch.StartNew());
        });
        var (_, exitCode) = await DockerCli.DockerAsync("wait", name);
        var (_, logs) = await DockerCli.DockerAsync("logs", name);

        Assert.NotNull(cut);
        Assert.Equal("137", exitCode.Trim());
        var lastLine = logs.TrimEnd().Split('\n')[^1];
        Assert.StartsWith("torch.OutOfMemoryError: CUDA out of memory.", lastLine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Container_DockerStopWithOpenStream_EndsOnSigtermWithoutBeingKilled()
    {
        var (port, started) = await RunAsync("org/model", "--itl-ms", "100");
        var name = containers[^1];
        await WaitHealthyAsync(port, started);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        using var response = await client.PostStreamAsync("/v1/chat/completions", """{"messages":[{"role":"user","content":"x"}],"max_tokens":5000,"stream":true}""");

        // docker stop sends SIGTERM and waits up to --time before it sends SIGKILL (exit 137).
        var (stopCode, stopOutput) = await DockerCli.DockerAsync("stop", "--time", "30", name);
        var (_, exitCode) = await DockerCli.DockerAsync("inspect", "--format", "{{.State.ExitCode}}", name);

        Assert.True(stopCode == 0, stopOutput);
        // 0, not 137: the process ended on SIGTERM by itself, open stream and all.
        Assert.Equal("0", exitCode.Trim());
    }

    private async Task<(int Port, Stopwatch Started)> RunAsync(params string[] args)
    {
        var port = FreePort.Next();
        var name = $"vllm-sim-test-{Guid.NewGuid():N}"[..28];
        containers.Add(name);
        var started = Stopwatch.StartNew();
        string[] run =
        [
            "run", "--detach", "--name", name, "--network", "host", "--label", "gpu-router.test=vllm-sim", SimImage.Name,
            .. args, "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture),
        ];
        var (code, output) = await DockerCli.DockerAsync(run);
        Assert.True(code == 0, $"docker run failed: {output}");
        return (port, started);
    }

    private static async Task<TimeSpan> WaitHealthyAsync(int port, Stopwatch started)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        while (started.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{port}/health"));
                if (response.IsSuccessStatusCode)
                {
                    return started.Elapsed;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            await Task.Delay(20);
        }
        throw new TimeoutException($"the container on port {port} was not healthy within 30 s");
    }
}

using System.Diagnostics;
using System.Net;
using VllmSim.Tests.Support;

namespace VllmSim.Tests.Executable;

/// <summary>The real program as a child process: loading, crashing and stopping as a process does.</summary>
public sealed class ProgramProcessTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Program_LoadSeconds_PortClosedWhileLoadingThenHealthy()
    {
        using var sim = SimProcess.Start("org/model", "--load-seconds", "3", "--log-level", "info");

        await WaitLoadingAsync(sim);
        var listeningWhileLoading = await FreePort.IsListeningAsync(sim.Port);
        var healthyAfter = await sim.WaitHealthyAsync(Generous);

        Assert.False(listeningWhileLoading);
        Assert.True(healthyAfter >= TimeSpan.FromSeconds(3), $"healthy after {healthyAfter.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task Program_ExitAfterRequests_DiesMidStreamWithItsCodeAndTheOomLineLast()
    {
        using var sim = SimProcess.Start("--model", "m", "--exit-after-requests", "2", "--exit-code", "3", "--itl-ms", "20");
        await sim.WaitHealthyAsync(Generous);
        using var client = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = sim.BaseAddress };

        var (status, _) = await client.PostJsonAsync("/v1/chat/completions", """{"messages":[{"role":"user","content":"one"}],"max_tokens":2}""");
        using var stream = await client.PostStreamAsync("/v1/chat/completions", """{"messages":[{"role":"user","content":"two"}],"max_tokens":100,"stream":true}""");
        var received = new List<SseEvent>();
        var cut = await Record.ExceptionAsync(async () =>
        {
            await foreach (var e in Sse.ReadAsync(stream, Stopwatch.StartNew()))
            {
                received.Add(e);
            }
        });
        var exitCode = await sim.WaitForExitAsync(Generous);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.NotNull(cut);
        Assert.NotEmpty(received);
        Assert.DoesNotContain(received, e => e.IsDone);
        Assert.Equal(3, exitCode);
        var lines = sim.StandardOutput.Where(l => l.Length > 0).ToList();
        Assert.StartsWith("torch.OutOfMemoryError: CUDA out of memory.", lines[^1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("m --max-num-seqs lots", "--max-num-seqs must be a whole number, got 'lots'")]
    [InlineData("BAAI/bge-m3 --task embed", "vllm: error: unrecognized arguments: --task embed")] // as vLLM 0.13+ refuses it
    public async Task Program_BadFlag_ExitsWith2AndSaysWhyOnStderr(string args, string says)
    {
        using var sim = SimProcess.Start(args.Split(' '));

        var exitCode = await sim.WaitForExitAsync(Generous);

        Assert.Equal(2, exitCode);
        Assert.Contains(says, sim.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Program_ModelFlag_WarnsAsVllmDoesAndServes()
    {
        using var sim = SimProcess.Start("--model", "org/m");

        await sim.WaitHealthyAsync(Generous);

        Assert.Contains(sim.StandardOutput, l => l.EndsWith("With `vllm serve`, you should provide the model as a positional argument or in a config file instead of via the `--model` option. The `--model` option will be removed in a future version.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Program_SigtermWithOpenStream_ExitsWithoutWaitingForTheStream()
    {
        using var sim = SimProcess.Start("m", "--itl-ms", "100");
        await sim.WaitHealthyAsync(Generous);
        using var client = new HttpClient { BaseAddress = sim.BaseAddress };
        // 5000 tokens at 100 ms: over eight minutes, far beyond the wait for the exit below.
        using var stream = await client.PostStreamAsync("/v1/chat/completions", """{"messages":[{"role":"user","content":"x"}],"max_tokens":5000,"stream":true}""");
        var firstToken = new TaskCompletionSource();
        var reading = Record.ExceptionAsync(async () =>
        {
            await foreach (var _ in Sse.ReadAsync(stream, Stopwatch.StartNew()))
            {
                firstToken.TrySetResult();
            }
        });
        await firstToken.Task.WaitAsync(Generous);

        sim.Terminate();
        var exitCode = await sim.WaitForExitAsync(Generous);

        Assert.Equal(0, exitCode);
        Assert.NotNull(await reading.WaitAsync(Generous));
    }

    [Fact]
    public async Task Program_SigtermWhileLoading_ExitsWithoutFinishingTheLoad()
    {
        using var sim = SimProcess.Start("m", "--load-seconds", "60", "--log-level", "info");
        await WaitLoadingAsync(sim);

        sim.Terminate();
        // Well within the minute of loading: the signal ended it, not the end of the load.
        var exitCode = await sim.WaitForExitAsync(Generous);

        Assert.Equal(0, exitCode);
    }

    // The simulator says when loading starts, in vLLM's words ("Starting to load model ...").
    private static Task WaitLoadingAsync(SimProcess sim) => Eventually.TrueAsync(
        () => sim.StandardOutput.Any(line => line.Contains("Starting to load model", StringComparison.Ordinal)),
        "the simulator says it is loading", Generous.TotalSeconds);
}

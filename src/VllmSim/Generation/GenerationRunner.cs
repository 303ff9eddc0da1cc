using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VllmSim.Engine;
using VllmSim.Hosting;
using VllmSim.Metrics;

namespace VllmSim.Generation;

/// <summary>
/// Runs accepted requests through the simulated engine: waits for a slot, paces the tokens,
/// stops the moment the client goes away or the server stops, and plays the planned crash.
/// </summary>
internal sealed class GenerationRunner(
    Scheduler scheduler,
    Pacer pacer,
    FaultInjector faults,
    SimStats stats,
    SimMetrics metrics,
    CrashController crash,
    IHostApplicationLifetime lifetime,
    ILogger<GenerationRunner> logger)
{
    /// <summary>Runs a generation; the caller disposes <paramref name="writer"/>.</summary>
    public Task RunAsync(HttpContext context, GenerationJob job, IGenerationWriter writer) =>
        ExecuteAsync(context, async (victim, arrival, ct) =>
        {
            await writer.BeginAsync(ct);
            using var slot = await scheduler.AcquireAsync(job.PromptTokens, ct);
            var scheduled = pacer.Now();
            var due = pacer.FirstToken(job.PromptTokens);
            var steps = job.Steps;
            for (var position = 0; position < steps; position++)
            {
                await pacer.WaitUntilAsync(scheduled, due, ct);
                ct.ThrowIfCancellationRequested();
                if (position == 0)
                {
                    metrics.ObserveFirstToken(pacer.Since(arrival), job.PromptTokens);
                }
                var produced = 0;
                foreach (var choice in job.Choices)
                {
                    if (position < choice.Length)
                    {
                        writer.Token(choice, position, choice.TokenAt(position), position == choice.Length - 1);
                        produced++;
                    }
                }
                metrics.AddGenerated(produced);
                slot.AddTokens(produced);
                if (!await writer.FlushAsync(ct))
                {
                    throw new OperationCanceledException();
                }
                if (victim && (position + 1 == FaultInjector.CrashAfterTokens || position + 1 == steps))
                {
                    return false;
                }
                due += pacer.InterToken;
            }
            // Counted before the last bytes leave, so a client that reads /metrics next sees it.
            metrics.ObserveFinished(pacer.Since(arrival), job.Choices[0].FinishReason);
            await writer.EndAsync(job.PromptTokens, job.CompletionTokens, ct);
            return true;
        });

    /// <summary>An embeddings or rerank request: one engine step, then <paramref name="respond"/>.</summary>
    public Task RunPoolingAsync(HttpContext context, int promptTokens, Func<CancellationToken, Task> respond) =>
        ExecuteAsync(context, async (victim, arrival, ct) =>
        {
            using (await scheduler.AcquireAsync(promptTokens, ct))
            {
                await pacer.WaitUntilAsync(pacer.Now(), pacer.FirstToken(promptTokens), ct);
                metrics.ObserveFirstToken(pacer.Since(arrival), promptTokens);
            }
            if (victim)
            {
                return false;
            }
            metrics.ObserveFinished(pacer.Since(arrival), "stop");
            await respond(ct);
            return true;
        });

    // The body returns false when this request is the crash victim.
    private async Task ExecuteAsync(HttpContext context, Func<bool, long, CancellationToken, Task<bool>> body)
    {
        var arrival = pacer.Now();
        if (crash.HasCrashed)
        {
            context.Abort();
            return;
        }
        stats.OnStarted();
        var victim = faults.Accept();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        try
        {
            if (await body(victim, arrival, linked.Token))
            {
                stats.OnCompleted();
                return;
            }
            stats.OnFailed();
            metrics.ObserveAborted();
            crash.Crash();
            context.Abort();
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionResetException)
        {
            metrics.ObserveAborted();
            // Stopping is checked first: a stopping server aborts connections itself, which also
            // trips RequestAborted, and those requests were lost by the server, not the client.
            if (lifetime.ApplicationStopping.IsCancellationRequested || crash.HasCrashed)
            {
                // Streams are cut off, as a dying vLLM's are: no [DONE].
                stats.OnFailed();
                context.Abort();
            }
            else
            {
                stats.OnCancelled();
                SimLog.ClientGone(logger, context.Request.Path);
            }
        }
    }
}

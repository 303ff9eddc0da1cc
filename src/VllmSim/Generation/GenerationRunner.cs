using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VllmSim.Engine;
using VllmSim.Hosting;
using VllmSim.Metrics;

namespace VllmSim.Generation;

/// <summary>
/// Runs accepted requests through the simulated engine: waits for a slot, paces the tokens,
/// stops the moment the client goes away or the server stops, ends what a /sleep aborts with
/// finish_reason "abort" (as vLLM does: the response completes, it is not cut), and plays the
/// planned crash.
/// </summary>
internal sealed class GenerationRunner(
    Scheduler scheduler,
    Pacer pacer,
    FaultInjector faults,
    SleepState sleep,
    SimStats stats,
    SimMetrics metrics,
    CrashController crash,
    IHostApplicationLifetime lifetime,
    ILogger<GenerationRunner> logger)
{
    private enum Outcome
    {
        Completed,
        Crashed,
        Aborted,
    }

    /// <summary>Runs a generation; the caller disposes <paramref name="writer"/>.</summary>
    public Task RunAsync(HttpContext context, GenerationJob job, IGenerationWriter writer) =>
        ExecuteAsync(context, sleep.Epoch, async (victim, arrival, run) =>
        {
            var produced = 0;
            try
            {
                await writer.BeginAsync(run.Work);
                using var slot = await scheduler.AcquireAsync(job.PromptTokens, run.Work);
                if (sleep.Garbled)
                {
                    job.Garble();
                    sleep.NoteGarbageRun();
                }
                return await GenerateAsync(job, writer, slot, victim, arrival, run.Work, () => produced++) ? Outcome.Completed : Outcome.Crashed;
            }
            catch (OperationCanceledException) when (run.Aborted)
            {
                metrics.ObserveAborted();
                await writer.EndAsync(job.PromptTokens, produced, aborted: true, run.Delivery);
                return Outcome.Aborted;
            }
        });

    /// <summary>An embeddings or rerank request: one engine step, then <paramref name="respond"/>.</summary>
    public Task RunPoolingAsync(HttpContext context, int promptTokens, Func<CancellationToken, Task> respond) =>
        ExecuteAsync(context, CancellationToken.None, async (victim, arrival, run) =>
        {
            using (await scheduler.AcquireAsync(promptTokens, run.Work))
            {
                await pacer.WaitUntilAsync(pacer.Now(), pacer.FirstToken(promptTokens), run.Work);
                metrics.ObserveFirstToken(pacer.Since(arrival), promptTokens);
            }
            if (victim)
            {
                return Outcome.Crashed;
            }
            metrics.ObserveFinished(pacer.Since(arrival), "stop");
            await respond(run.Work);
            return Outcome.Completed;
        });

    // False when this request is the crash victim and has died.
    private async Task<bool> GenerateAsync(GenerationJob job, IGenerationWriter writer, SchedulerSlot slot, bool victim, long arrival, CancellationToken ct, Action countToken)
    {
        var scheduled = pacer.Now();
        var due = pacer.FirstToken(job.PromptTokens);
        var steps = job.Steps;
        for (var position = 0; position < steps; position++)
        {
            if (sleep.FreezesRunning)
            {
                // A sleep in "keep" mode: the request resumes where it stood once the engine wakes.
                await sleep.WaitAwakeAsync(ct);
                scheduled = pacer.Now();
                due = TimeSpan.Zero;
            }
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
                    countToken();
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
        await writer.EndAsync(job.PromptTokens, job.CompletionTokens, aborted: false, ct);
        return true;
    }

    private async Task ExecuteAsync(HttpContext context, CancellationToken abort, Func<bool, long, RunTokens, Task<Outcome>> body)
    {
        var arrival = pacer.Now();
        if (crash.HasCrashed)
        {
            context.Abort();
            return;
        }
        stats.OnStarted();
        var victim = faults.Accept();
        using var delivery = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        using var work = CancellationTokenSource.CreateLinkedTokenSource(delivery.Token, abort);
        var run = new RunTokens(work.Token, delivery.Token, abort);
        try
        {
            switch (await body(victim, arrival, run))
            {
                case Outcome.Completed:
                    stats.OnCompleted();
                    return;
                case Outcome.Aborted:
                    stats.OnAborted();
                    return;
            }
            stats.OnFailed();
            metrics.ObserveAborted();
            if (!context.Response.HasStarted)
            {
                crash.Crash(CancellationToken.None);
                context.Abort();
                return;
            }
            // The server goes down once this connection is closed, so the victim's last tokens
            // reach the client before the other connections are cut.
            crash.Crash(context.Features.Get<IConnectionLifetimeFeature>()?.ConnectionClosed ?? CancellationToken.None);
            throw new EngineCrashedException();
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

    /// <summary>The tokens of one run: work stops on any of them; delivery only when the client or server goes.</summary>
    private sealed record RunTokens(CancellationToken Work, CancellationToken Delivery, CancellationToken Abort)
    {
        public bool Aborted => Abort.IsCancellationRequested && !Delivery.IsCancellationRequested;
    }
}

using System.Collections.Frozen;
using System.Globalization;
using System.Runtime.CompilerServices;
using GpuRouter.Admission;
using GpuRouter.Configuration;
using GpuRouter.Failures;
using GpuRouter.Forwarding;
using GpuRouter.Http;
using GpuRouter.Instances;
using GpuRouter.Lifecycle;
using GpuRouter.Routing;
using GpuRouter.Schedule;
using GpuRouter.Security;

namespace GpuRouter.Requests;

/// <summary>
/// One OpenAI request from body to response: scan, resolve the model, choose the instance, wait
/// for a slot, make sure the backend is ready, forward, then log. Every expected failure is a
/// <see cref="Failure"/> (or a forwarder error) written by <see cref="ErrorResults"/>.
/// </summary>
internal sealed class RequestPipeline(
    ServerOptions server,
    RoutingOptions routing,
    ModelCatalog catalog,
    InstanceSelector selector,
    IModeState mode,
    Forwarder forwarder,
    LoadingFeedback loading,
    RequestObserver observer,
    InstanceGates gates,
    ClientAdmission clients,
    TimeProvider time)
{
    // The scanner hands back these very strings for configured names, so a valid request's model costs no allocation.

    public async Task HandleAsync(HttpContext context, EndpointKind kind)
    {
        var record = new RequestRecord(SecurityMiddleware.Identity(context), time.GetTimestamp());
        if (record.Client.TrustUserHeaders) (record.UserId, record.UserName) = OpenWebUiUser.Read(context.Request.Headers);
        int status;
        try
        {
            status = await RunAsync(context, kind, record);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && context.RequestAborted.IsCancellationRequested)
        {
            // Gone mid-body (a reset reads as an IOException) or mid-response.
            record.Outcome = "client_gone";
            status = 499;
        }
        observer.Completed(context, record, status);
    }

    // Pooled builders: the per-request state machines of this path are reused instead of allocated.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> RunAsync(HttpContext context, EndpointKind kind, RequestRecord record)
    {
        var ct = context.RequestAborted;
        var (body, bodyError) = await RequestBody.ReadAsync(context, server.MaxRequestBodyBytes, ct);
        if (bodyError is not null) return await FailAsync(context, record, bodyError);
        using (body)
        {
            var facts = RequestScanner.Scan(body!.Memory.Span, kind, catalog.KnownNames);
            if (facts.Error is { } scanError)
                return await FailAsync(context, record, Failure.InvalidRequest(scanError.Message, scanError.Param, scanError.Code ?? "invalid_request"));
            record.Model = facts.Model;
            record.EstimatedTokens = facts.EstimatedPromptTokens;

            var now = time.GetUtcNow();
            var currentMode = mode.Mode;
            var client = record.Client.Name;
            var resolution = catalog.Resolve(facts.Model!, currentMode, nextSwitch: null, now, client: client);
            // The requested model's kind, not the served one's: a wrong endpoint is a 400 in any mode.
            if (resolution.Requested is { } requested && KindError(requested, kind) is { } kindError)
                return await FailAsync(context, record, kindError);
            if (resolution.Error is not null)
            {
                // The next switch is a walk over the cron schedule, too dear for every request:
                // only a refusal's message and Retry-After use it, so it is read for those alone.
                var refusal = catalog.Resolve(facts.Model!, currentMode, mode.NextSwitch, now, mode.IsHeld, client).Error ?? resolution.Error;
                return await FailAsync(context, record, refusal);
            }
            var model = resolution.Model!;
            record.ServedBy = model.Name;

            var selection = selector.Select(model, facts.EstimatedPromptTokens, facts.MaxTokens, record.Client.Source);
            if (selection.Error is not null) return await FailAsync(context, record, selection.Error);
            var instance = selection.Instance!;
            record.Instance = instance.Name;
            record.Gpu = instance.Definition.GpuLabel;

            // Released however the request ends: answered, failed, cancelled or cut off.
            if (clients.TryAdmit(record.Client, out var hold) is { } limit) return await FailAsync(context, record, limit);
            using var held = hold;

            var priority = PriorityOf(context, record.Client, facts);
            var admission = await gates.For(instance.Name).AcquireAsync(priority, routing.QueueTimeout, ct);
            if (!admission.IsGranted) return await FailAsync(context, record, Refused(instance, admission));
            using var lease = admission.Lease;
            record.QueueWait = lease.QueueWait;

            var ready = await EnsureReadyAsync(context, instance, model, facts, kind, record, resolution.IsFallback, ct);
            if (ready.Error is not null) return await FailAsync(context, record, ready.Error);
            NoteWait(record, ready);

            // The backend answers to the model's own name only: a fallback or an alias is rewritten.
            var forwarded = facts.Model != model.Name ? ModelRewriter.Replace(body.Memory.Span, model.Name) : body.Memory;
            var result = await ForwardAsync(context, ready, forwarded, record, resolution.IsFallback, ct);
            if (result.Error == ForwarderError.Connect && !context.Response.HasStarted && await instance.Owner.CheckBackendLostAsync())
            {
                // Its container had died unseen (dockerd restarted, say): start it again, once, for this request.
                ready = await EnsureReadyAsync(context, instance, model, facts, kind, record, resolution.IsFallback, ct);
                if (ready.Error is not null) return await FailAsync(context, record, ready.Error);
                NoteWait(record, ready);
                result = await ForwardAsync(context, ready, forwarded, record, resolution.IsFallback, ct);
            }
            record.Usage = result.Usage;
            record.TimeToFirstByte = result.TimeToFirstByte;
            return await FinishAsync(context, record, instance, result);
        }
    }

    private ValueTask<ForwardResult> ForwardAsync(
        HttpContext context, ReadyResult ready, ReadOnlyMemory<byte> body, RequestRecord record, bool fallback, CancellationToken ct) =>
        forwarder.ForwardAsync(
            context, new ForwardRequest(ready.BaseAddress!, body, routing.StreamIdleTimeout, record.StartedAt, ready.BackendKey),
            static (r, s) => WriteHeaders(r, s.Record, s.Fallback), (Record: record, Fallback: fallback), ct);

    // A wait for a wake is reported as X-Router-Wake-Ms, one for a start as X-Router-Cold-Start-Ms.
    private static void NoteWait(RequestRecord record, ReadyResult ready)
    {
        if (ready.Woke)
        {
            record.Wake = ready.ColdStart;
            record.ColdStart = null;
        }
        else
        {
            record.ColdStart = ready.ColdStart;
            record.Wake = null;
        }
    }

    private ValueTask<ReadyResult> EnsureReadyAsync(
        HttpContext context, InstanceRuntime instance, ModelDefinition model, RequestFacts facts, EndpointKind kind,
        RequestRecord record, bool fallback, CancellationToken ct)
    {
        var pending = instance.Owner.EnsureReadyAsync(null, ct);
        // A ready instance (every request but those that meet a cold start) takes no state machine and no closure.
        if (pending.IsCompletedSuccessfully) return pending;
        return WaitForStartAsync(context, pending, instance, model, facts, kind, record, fallback, ct);
    }

    private async ValueTask<ReadyResult> WaitForStartAsync(
        HttpContext context, ValueTask<ReadyResult> pending, InstanceRuntime instance, ModelDefinition model, RequestFacts facts,
        EndpointKind kind, RequestRecord record, bool fallback, CancellationToken ct)
    {
        var waitStarted = time.GetTimestamp();
        ReadyResult ready;
        if (!facts.Stream)
        {
            ready = await pending;
        }
        else
        {
            var reasoning = routing.LoadingMessages && kind == EndpointKind.ChatCompletions;
            var owner = instance.Owner;
            var loadingContext = new LoadingContext(instance.Name, instance.Definition.GpuLabel, model.Name, reasoning, () => owner.State == InstanceState.Waking);
            // The headers are written when the first loading line goes out, so they must carry the wait so far.
            ready = await loading.WaitAsync(context, pending.AsTask(), loadingContext, r =>
            {
                if (owner.State == InstanceState.Waking) record.Wake = time.GetElapsedTime(waitStarted);
                else record.ColdStart = time.GetElapsedTime(waitStarted);
                WriteHeaders(r, record, fallback);
            }, ct);
        }
        return ready with { ColdStart = time.GetElapsedTime(waitStarted) };
    }

    private static async ValueTask<int> FinishAsync(HttpContext context, RequestRecord record, InstanceRuntime instance, ForwardResult result)
    {
        switch (result.Error)
        {
            case ForwarderError.None:
                return result.Status;
            case ForwarderError.ClientCanceled or ForwarderError.ResponseBodyClient:
                record.Outcome = "client_gone";
                return 499;
        }
        // Refused, or cut off mid-response: the owner checks on its container rather than wait for an event.
        if (result.Error is ForwarderError.Connect or ForwarderError.ResponseBodyUpstream) instance.Owner.ReportUnreachable();
        var error = ForwardErrors.ForResult(result, instance.Name);
        record.Outcome = error.Code;
        if (!context.Response.HasStarted) return await FailAsync(context, record, error);
        if (IsEventStream(context.Response))
        {
            try
            {
                await context.Response.Body.WriteAsync(ErrorResults.SseFrame(error));
                await context.Response.Body.FlushAsync();
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
                record.Outcome = "client_gone";
            }
        }
        else
        {
            context.Abort();
        }
        return error.Status;
    }

    private static ValueTask<int> FailAsync(HttpContext context, RequestRecord record, Failure failure) =>
        FailAsync(context, record, RouterError.From(failure));

    private static async ValueTask<int> FailAsync(HttpContext context, RequestRecord record, RouterError error)
    {
        record.Outcome = error.Code;
        if (context.Response.HasStarted && IsEventStream(context.Response))
        {
            await context.Response.Body.WriteAsync(ErrorResults.SseFrame(error));
            return error.Status;
        }
        await ErrorResults.WriteAsync(context, error);
        return error.Status;
    }

    private static void WriteHeaders(HttpResponse response, RequestRecord record, bool fallback)
    {
        var headers = response.Headers;
        headers["X-Router-Instance"] = record.Instance;
        headers["X-Router-Gpu"] = record.Gpu;
        // Most requests never wait: their "0" is a constant rather than a formatted string.
        headers["X-Router-Queue-Ms"] = record.QueueWait == TimeSpan.Zero ? "0" : record.QueueWait.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);
        if (record.ColdStart is { } cold)
            headers["X-Router-Cold-Start-Ms"] = cold.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);
        if (record.Wake is { } wake)
            headers["X-Router-Wake-Ms"] = wake.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);
        if (fallback) headers["X-Router-Fallback"] = record.ServedBy;
    }

    private static RequestPriority PriorityOf(HttpContext context, ClientIdentity client, RequestFacts facts)
    {
        if (context.Request.Headers.ContainsKey("X-OWUI-Task") || facts.IsOwuiTaskPrompt) return RequestPriority.Background;
        return client.Source == ClientSource.Interactive ? RequestPriority.Interactive : RequestPriority.Batch;
    }

    private static Failure Refused(InstanceRuntime instance, Admission.Admission admission)
    {
        var retry = TimeSpan.FromSeconds(admission.RetryAfterSeconds);
        return admission.Refusal switch
        {
            AdmissionRefusal.QueueFull => Failure.Unavailable("queue_full",
                $"The queue for {instance.Name} is full ({instance.Load.MaxQueue} waiting). Retry later.", retry),
            AdmissionRefusal.QueueTimeout => Failure.Unavailable("queue_timeout",
                $"No slot on {instance.Name} became free within the queue timeout.", retry),
            _ => Failure.Unavailable("instance_closed", $"The instance {instance.Name} is not taking requests now.", retry),
        };
    }

    private static Failure? KindError(ModelDefinition model, EndpointKind kind)
    {
        var wanted = kind switch
        {
            EndpointKind.Embeddings => ModelKind.Embedding,
            EndpointKind.Rerank => ModelKind.Rerank,
            _ => ModelKind.Chat,
        };
        return model.Kind == wanted ? null : Failure.InvalidRequest(
            $"The model '{model.Name}' is a {model.Kind.ToString().ToLowerInvariant()} model and does not serve this endpoint.", "model", "wrong_endpoint");
    }

    private static bool IsEventStream(HttpResponse response) =>
        response.ContentType?.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase) == true;
}

using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VllmSim.Api;
using VllmSim.Engine;
using VllmSim.Hosting;

namespace VllmSim.Endpoints;

/// <summary>
/// vLLM's other development routes a sleep at level 2 needs: POST /collective_rpc with
/// {"method":"reload_weights"} loads the weights again in place, POST /reset_prefix_cache drops
/// cached KV blocks (those computed on garbage weights included).
/// </summary>
internal sealed class DevEndpoints(SimOptions options, SleepState sleep, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<DevEndpoints> logger)
{
    public const string ReloadWeights = "reload_weights";

    public async Task CollectiveRpcAsync(HttpContext context)
    {
        JsonElement body;
        try
        {
            body = (await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted)).RootElement;
        }
        catch (JsonException e)
        {
            await ErrorWriter.WriteAsync(context, BadRequest($"JSON decode error: {e.Message}"));
            return;
        }
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("method", out var method) || method.ValueKind == JsonValueKind.Null)
        {
            await ErrorWriter.WriteAsync(context, BadRequest("Missing 'method' in request body"));
            return;
        }
        // vLLM runs any worker method by name; the simulator has only this one to offer.
        if (method.ValueKind != JsonValueKind.String || method.GetString() != ReloadWeights)
        {
            await ErrorWriter.WriteAsync(context, ApiError.BadRequest($"The simulator runs only '{ReloadWeights}' over /collective_rpc, got {method.GetRawText()}.", "method"));
            return;
        }
        if (sleep.IsSleeping && sleep.SleepingTags.Contains(SleepState.Weights, StringComparison.Ordinal))
        {
            await ErrorWriter.WriteAsync(context, ApiError.BadRequest("The weights are asleep: POST /wake_up before reload_weights.", "method"));
            return;
        }
        SimLog.ReloadingWeights(logger);
        await Task.Delay(TimeSpan.FromSeconds(options.ReloadSeconds), time, lifetime.ApplicationStopping);
        sleep.ReloadWeights();
        // One result per worker: reload_weights returns None on each.
        context.Response.ContentType = JsonOut.JsonContentType;
        await context.Response.WriteAsync("{\"results\":[" + string.Join(",", Enumerable.Repeat("null", options.TensorParallelSize)) + "]}", context.RequestAborted);
    }

    public Task ResetPrefixCacheAsync(HttpContext context)
    {
        sleep.ResetPrefixCache();
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentLength = 0;
        return Task.CompletedTask;
    }

    // FastAPI's HTTPException as vLLM's handler writes it: the status phrase as the type.
    private static ApiError BadRequest(string message) => new(400, message, TypeName: "Bad Request");
}

using Microsoft.AspNetCore.Http;
using VllmSim.Api;
using VllmSim.Engine;
using VllmSim.Metrics;

namespace VllmSim.Endpoints;

/// <summary>GET /health, /version, /v1/models and /metrics.</summary>
internal sealed class InfoEndpoints(SimOptions options, ServedModels models, SimMetrics metrics, TimeProvider time)
{
    public const string PrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>200 with an empty body, as vLLM's /health once the engine is up.</summary>
    public static Task HealthAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentLength = 0;
        return Task.CompletedTask;
    }

    public static async Task VersionAsync(HttpContext context)
    {
        context.Response.ContentType = JsonOut.JsonContentType;
        await context.Response.WriteAsync("{\"version\":\"0.10.1+sim\"}", context.RequestAborted);
    }

    public async Task ModelsAsync(HttpContext context)
    {
        var created = time.GetUtcNow().ToUnixTimeSeconds();
        var response = context.Response;
        response.ContentType = JsonOut.JsonContentType;
        using (var json = JsonOut.Writer(response.BodyWriter))
        {
            json.WriteStartObject();
            json.WriteString("object", "list");
            json.WriteStartArray("data");
            foreach (var name in models.Names)
            {
                json.WriteStartObject();
                json.WriteString("id", name);
                json.WriteString("object", "model");
                json.WriteNumber("created", created);
                json.WriteString("owned_by", "vllm");
                json.WriteString("root", options.Model);
                json.WriteNull("parent");
                json.WriteNumber("max_model_len", options.MaxModelLen);
                json.WriteStartArray("permission");
                json.WriteStartObject();
                json.WriteString("id", JsonOut.NewId("modelperm-"));
                json.WriteString("object", "model_permission");
                json.WriteNumber("created", created);
                json.WriteBoolean("allow_create_engine", false);
                json.WriteBoolean("allow_sampling", true);
                json.WriteBoolean("allow_logprobs", true);
                json.WriteBoolean("allow_search_indices", false);
                json.WriteBoolean("allow_view", true);
                json.WriteBoolean("allow_fine_tuning", false);
                json.WriteString("organization", "*");
                json.WriteNull("group");
                json.WriteBoolean("is_blocking", false);
                json.WriteEndObject();
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        await response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    public async Task MetricsAsync(HttpContext context)
    {
        context.Response.ContentType = PrometheusContentType;
        await context.Response.WriteAsync(metrics.Render(), context.RequestAborted);
    }
}

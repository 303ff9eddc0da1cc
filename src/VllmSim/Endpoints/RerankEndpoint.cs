using System.Text.Json;
using Microsoft.AspNetCore.Http;
using VllmSim.Api;
using VllmSim.Api.Json;
using VllmSim.Engine;
using VllmSim.Generation;

namespace VllmSim.Endpoints;

/// <summary>POST /rerank, /v1/rerank, /v2/rerank: Jina/Cohere-style results, best first.</summary>
internal sealed class RerankEndpoint(SimOptions options, ServedModels models, GenerationRunner runner, SimStats stats)
{
    public async Task HandleAsync(HttpContext context)
    {
        var (request, error) = await RequestBody.ReadAsync(context, SimJsonContext.Default.RerankRequest);
        List<string> documents = [];
        var model = string.Empty;
        var tokens = 0;
        if (request is not null
            && (error = models.Resolve(request.Model, out model)) is null
            && (error = request.Query is null ? ApiError.BadRequest("query is required.", "query") : null) is null
            && (error = Documents(request.Documents, documents)) is null)
        {
            var queryTokens = SimTokenizer.Count(request.Query!);
            foreach (var document in documents)
            {
                var pair = queryTokens + SimTokenizer.Count(document);
                tokens += pair;
                error ??= ContextWindow.FitInput(pair, options);
            }
        }
        if (error is not null)
        {
            stats.OnRejected();
            await ErrorWriter.WriteAsync(context, error);
            return;
        }
        await runner.RunPoolingAsync(context, tokens, ct => WriteAsync(context, request!, model, documents, tokens, ct));
    }

    private static async Task WriteAsync(HttpContext context, RerankRequest request, string model, List<string> documents, int tokens, CancellationToken ct)
    {
        var ranked = documents
            .Select((text, index) => (Index: index, Text: text, Score: Reranker.Score(request.Query!, text)))
            .OrderByDescending(r => r.Score)
            .ThenBy(r => r.Index)
            .Take(request.TopN is > 0 and var top ? top : documents.Count);
        var response = context.Response;
        response.ContentType = JsonOut.JsonContentType;
        using (var json = JsonOut.Writer(response.BodyWriter))
        {
            json.WriteStartObject();
            json.WriteString("id", JsonOut.NewId("rerank-"));
            json.WriteString("model", model);
            json.WriteStartObject("usage");
            json.WriteNumber("prompt_tokens", tokens);
            json.WriteNumber("total_tokens", tokens);
            json.WriteEndObject();
            json.WriteStartArray("results");
            foreach (var (index, text, score) in ranked)
            {
                json.WriteStartObject();
                json.WriteNumber("index", index);
                if (request.ReturnDocuments != false)
                {
                    json.WriteStartObject("document");
                    json.WriteString("text", text);
                    json.WriteEndObject();
                }
                json.WriteNumber("relevance_score", score);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        await response.BodyWriter.FlushAsync(ct);
    }

    private static ApiError? Documents(JsonElement documents, List<string> texts)
    {
        if (documents.ValueKind != JsonValueKind.Array)
        {
            return ApiError.BadRequest("documents must be a list of strings or of objects with \"text\".", "documents");
        }
        foreach (var document in documents.EnumerateArray())
        {
            if (document.ValueKind == JsonValueKind.String)
            {
                texts.Add(document.GetString()!);
            }
            else if (document.ValueKind == JsonValueKind.Object && document.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
            {
                texts.Add(text.GetString()!);
            }
            else
            {
                return ApiError.BadRequest("documents must be a list of strings or of objects with \"text\".", "documents");
            }
        }
        return null;
    }
}

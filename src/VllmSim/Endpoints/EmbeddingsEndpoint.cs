using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using VllmSim.Api;
using VllmSim.Api.Json;
using VllmSim.Engine;
using VllmSim.Generation;

namespace VllmSim.Endpoints;

/// <summary>POST /v1/embeddings: deterministic unit vectors of --embedding-dim values.</summary>
internal sealed class EmbeddingsEndpoint(SimOptions options, ServedModels models, GenerationRunner runner, SimStats stats, TimeProvider time)
{
    public async Task HandleAsync(HttpContext context)
    {
        var (request, error) = await RequestBody.ReadAsync(context, SimJsonContext.Default.EmbeddingRequest);
        List<(string Text, int Tokens)> inputs = [];
        var model = string.Empty;
        if (request is not null
            && (error = models.Resolve(request.Model, out model)) is null
            && (error = Inputs(request.Input, inputs)) is null
            && (error = Format(request)) is null)
        {
            error = inputs.Select(i => ContextWindow.FitInput(i.Tokens, options)).FirstOrDefault(e => e is not null);
        }
        if (error is not null)
        {
            stats.OnRejected();
            await ErrorWriter.WriteAsync(context, error);
            return;
        }
        var tokens = inputs.Sum(i => i.Tokens);
        var dimensions = request!.Dimensions ?? options.EmbeddingDim;
        var base64 = request.EncodingFormat == "base64";
        await runner.RunPoolingAsync(context, tokens, ct => WriteAsync(context, model, inputs, tokens, dimensions, base64, ct));
    }

    private async Task WriteAsync(HttpContext context, string model, List<(string Text, int Tokens)> inputs, int tokens, int dimensions, bool base64, CancellationToken ct)
    {
        var response = context.Response;
        response.ContentType = JsonOut.JsonContentType;
        using (var json = JsonOut.Writer(response.BodyWriter))
        {
            json.WriteStartObject();
            json.WriteString("id", JsonOut.NewId("embd-"));
            json.WriteString("object", "list");
            json.WriteNumber("created", time.GetUtcNow().ToUnixTimeSeconds());
            json.WriteString("model", model);
            json.WriteStartArray("data");
            for (var i = 0; i < inputs.Count; i++)
            {
                var vector = Embedder.Embed(inputs[i].Text, options.EmbeddingDim);
                var truncated = dimensions < vector.Length ? Renormalized(vector.AsSpan(0, dimensions)) : vector;
                json.WriteStartObject();
                json.WriteNumber("index", i);
                json.WriteString("object", "embedding");
                WriteVector(json, truncated, base64);
                json.WriteEndObject();
                json.Flush();
            }
            json.WriteEndArray();
            json.WriteStartObject("usage");
            json.WriteNumber("prompt_tokens", tokens);
            json.WriteNumber("total_tokens", tokens);
            json.WriteNumber("completion_tokens", 0);
            json.WriteNull("prompt_tokens_details");
            json.WriteEndObject();
            json.WriteEndObject();
        }
        await response.BodyWriter.FlushAsync(ct);
    }

    private static void WriteVector(Utf8JsonWriter json, float[] vector, bool base64)
    {
        if (base64)
        {
            // Little-endian float32 bytes, as vLLM and the OpenAI client's decoder use.
            json.WriteBase64String("embedding", MemoryMarshal.AsBytes(vector.AsSpan()));
            return;
        }
        json.WriteStartArray("embedding");
        foreach (var value in vector)
        {
            json.WriteNumberValue(value);
        }
        json.WriteEndArray();
    }

    // Matryoshka-style: the leading values of the full vector, scaled back to unit length.
    private static float[] Renormalized(ReadOnlySpan<float> head)
    {
        var result = head.ToArray();
        var norm = Math.Sqrt(result.Sum(v => (double)v * v));
        for (var i = 0; i < result.Length && norm > 0; i++)
        {
            result[i] = (float)(result[i] / norm);
        }
        return result;
    }

    private ApiError? Format(EmbeddingRequest request)
    {
        if (request.EncodingFormat is not (null or "float" or "base64"))
        {
            return ApiError.BadRequest($"encoding_format must be \"float\" or \"base64\", got \"{request.EncodingFormat}\".", "encoding_format");
        }
        return request.Dimensions is { } d && (d < 1 || d > options.EmbeddingDim)
            ? ApiError.BadRequest($"dimensions must be between 1 and {options.EmbeddingDim}, got {d}.", "dimensions")
            : null;
    }

    private static ApiError? Inputs(JsonElement input, List<(string Text, int Tokens)> inputs)
    {
        if (input.ValueKind == JsonValueKind.String)
        {
            var text = input.GetString()!;
            inputs.Add((text, SimTokenizer.Count(text)));
            return null;
        }
        if (input.ValueKind == JsonValueKind.Array && TokenInputs.Read(input, inputs))
        {
            return inputs.Count == 0 ? ApiError.BadRequest("input must not be empty.", "input") : null;
        }
        return ApiError.BadRequest("input must be a string, a list of strings, or a list of token ids.", "input");
    }
}

using Microsoft.AspNetCore.Http;
using VllmSim.Api;
using VllmSim.Api.Json;
using VllmSim.Engine;

namespace VllmSim.Endpoints;

/// <summary>POST /tokenize and /detokenize with the simulator's tokenizer (see <see cref="SimTokenizer"/>).</summary>
internal sealed class TokenizeEndpoints(SimOptions options, ServedModels models, SimStats stats)
{
    public async Task TokenizeAsync(HttpContext context)
    {
        var (request, error) = await RequestBody.ReadAsync(context, SimJsonContext.Default.TokenizeRequest);
        var text = string.Empty;
        if (request is not null && (error = models.Resolve(request.Model, out _)) is null)
        {
            error = (request.Prompt, request.Messages) switch
            {
                ({ } prompt, null) => Use(prompt, out text),
                (null, { Count: > 0 } messages) => PromptRenderer.RenderChat(messages, out text),
                _ => ApiError.BadRequest("Give either prompt (a string) or messages (a non-empty list).", "prompt"),
            };
        }
        if (error is not null)
        {
            await RejectAsync(context, error);
            return;
        }
        var ids = SimTokenizer.Encode(text);
        var response = context.Response;
        response.ContentType = JsonOut.JsonContentType;
        using (var json = JsonOut.Writer(response.BodyWriter))
        {
            json.WriteStartObject();
            json.WriteNumber("count", ids.Count);
            json.WriteNumber("max_model_len", options.MaxModelLen);
            json.WriteStartArray("tokens");
            foreach (var id in ids)
            {
                json.WriteNumberValue(id);
            }
            json.WriteEndArray();
            if (request!.ReturnTokenStrs == true)
            {
                json.WriteStartArray("token_strs");
                foreach (var id in ids)
                {
                    json.WriteStringValue(SimTokenizer.TokenText(id));
                }
                json.WriteEndArray();
            }
            else
            {
                json.WriteNull("token_strs");
            }
            json.WriteEndObject();
        }
        await response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    public async Task DetokenizeAsync(HttpContext context)
    {
        var (request, error) = await RequestBody.ReadAsync(context, SimJsonContext.Default.DetokenizeRequest);
        string? text = null;
        if (request is not null && (error = models.Resolve(request.Model, out _)) is null)
        {
            if (request.Tokens is null)
            {
                error = ApiError.BadRequest("tokens is required: a list of token ids.", "tokens");
            }
            else if ((text = SimTokenizer.Decode(request.Tokens, out var bad)) is null)
            {
                error = ApiError.BadRequest($"Token id {bad} is out of vocabulary.", "tokens");
            }
        }
        if (error is not null)
        {
            await RejectAsync(context, error);
            return;
        }
        var response = context.Response;
        response.ContentType = JsonOut.JsonContentType;
        using (var json = JsonOut.Writer(response.BodyWriter))
        {
            json.WriteStartObject();
            json.WriteString("prompt", text);
            json.WriteEndObject();
        }
        await response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    private Task RejectAsync(HttpContext context, ApiError error)
    {
        stats.OnRejected();
        return ErrorWriter.WriteAsync(context, error);
    }

    private static ApiError? Use(string prompt, out string text)
    {
        text = prompt;
        return null;
    }
}

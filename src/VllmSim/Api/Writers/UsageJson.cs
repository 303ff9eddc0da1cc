using System.Text.Json;

namespace VllmSim.Api.Writers;

internal static class UsageJson
{
    /// <summary>The chat/completions usage object, in vLLM's field order.</summary>
    public static void Write(Utf8JsonWriter json, int promptTokens, int completionTokens)
    {
        json.WriteStartObject("usage");
        json.WriteNumber("prompt_tokens", promptTokens);
        json.WriteNumber("total_tokens", (long)promptTokens + completionTokens);
        json.WriteNumber("completion_tokens", completionTokens);
        json.WriteNull("prompt_tokens_details");
        json.WriteEndObject();
    }
}

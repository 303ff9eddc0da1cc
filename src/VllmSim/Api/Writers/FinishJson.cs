using System.Text.Json;

namespace VllmSim.Api.Writers;

internal static class FinishJson
{
    /// <summary>finish_reason, and vLLM's stop_reason once a choice has finished.</summary>
    public static void Write(Utf8JsonWriter json, string? finishReason)
    {
        if (finishReason is null)
        {
            json.WriteNull("finish_reason");
            return;
        }
        json.WriteString("finish_reason", finishReason);
        json.WriteNull("stop_reason");
    }
}

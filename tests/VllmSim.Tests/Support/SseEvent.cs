using System.Text.Json;

namespace VllmSim.Tests.Support;

/// <summary>One server-sent event and when it arrived, counted from the request's start.</summary>
internal sealed record SseEvent(string? Type, string Data, TimeSpan At)
{
    public bool IsDone => Data == "[DONE]";

    public JsonElement Json => JsonDocument.Parse(Data).RootElement.Clone();
}

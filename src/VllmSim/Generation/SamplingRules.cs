using System.Text.Json;
using VllmSim.Api;
using VllmSim.Api.Json;

namespace VllmSim.Generation;

/// <summary>The request checks vLLM makes before a request reaches the engine, in vLLM's words.</summary>
internal static class SamplingRules
{
    /// <summary>A bound vLLM does not have; it keeps a hostile "n" from exhausting memory.</summary>
    public const int MaxChoices = 128;

    public static ApiError? StreamOptions(bool? stream, StreamOptions? options) =>
        options is not null && stream != true
            ? ApiError.BadRequest("Stream options can only be defined when `stream=True`.", "stream_options")
            : null;

    public static ApiError? Choices(int? n, out int choices)
    {
        choices = n ?? 1;
        return choices switch
        {
            < 1 => ApiError.BadRequest($"n must be at least 1, got {choices}.", "n"),
            > MaxChoices => ApiError.BadRequest($"n must be at most {MaxChoices}, got {choices}.", "n"),
            _ => null,
        };
    }

    public static ApiError? MaxTokens(int? value, string name) =>
        value < 1 ? ApiError.BadRequest($"{name} must be at least 1, got {value}.", name) : null;

    public static ApiError? Stop(JsonElement stop, out IReadOnlyList<string> stops)
    {
        stops = [];
        switch (stop.ValueKind)
        {
            case JsonValueKind.Undefined or JsonValueKind.Null:
                return null;
            case JsonValueKind.String:
                var single = stop.GetString()!;
                stops = single.Length > 0 ? [single] : [];
                return null;
            case JsonValueKind.Array:
                var list = new List<string>();
                foreach (var item in stop.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String)
                    {
                        return ApiError.BadRequest("stop must be a string or a list of strings.", "stop");
                    }
                    if (item.GetString() is { Length: > 0 } value)
                    {
                        list.Add(value);
                    }
                }
                stops = list;
                return null;
            default:
                return ApiError.BadRequest("stop must be a string or a list of strings.", "stop");
        }
    }
}

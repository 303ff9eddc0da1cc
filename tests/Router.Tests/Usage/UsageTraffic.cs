using System.Net;
using System.Text.Json;

namespace Router.Tests.Usage;

/// <summary>Sends chat requests and notes what the row for each should say.</summary>
internal static class UsageTraffic
{
    public static async Task<ExpectedRow> ChatAsync(HttpClient client, string clientName, string model = "llama", bool stream = false)
    {
        using var response = await client.PostChatAsync(Http.Chat(model, "How much do GPUs cost?", stream, maxTokens: 8, usage: stream));
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
            return new(clientName, model, null, null, null, (int)response.StatusCode, 0, 0);
        var usage = stream ? StreamUsage(body) : BodyUsage(body);
        return new(
            clientName, model, model, response.Header("X-Router-Instance"), response.Header("X-Router-Gpu"), 200,
            usage.GetProperty("prompt_tokens").GetInt32(), usage.GetProperty("completion_tokens").GetInt32());
    }

    private static JsonElement BodyUsage(string body)
    {
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("usage").Clone();
    }

    /// <summary>The usage object of the stream's final chunk (sent when stream_options.include_usage is set).</summary>
    private static JsonElement StreamUsage(string body)
    {
        foreach (var line in body.Split('\n'))
        {
            if (!line.StartsWith("data: {", StringComparison.Ordinal)) continue;
            using var chunk = JsonDocument.Parse(line["data: ".Length..]);
            if (chunk.RootElement.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
                return usage.Clone();
        }
        throw new InvalidOperationException("The stream carried no usage chunk:\n" + body);
    }

    public static IOrderedEnumerable<ExpectedRow> Sorted(IEnumerable<ExpectedRow> items) =>
        items.OrderBy(e => e.Client, StringComparer.Ordinal).ThenBy(e => e.Instance, StringComparer.Ordinal)
            .ThenBy(e => e.Status).ThenBy(e => e.PromptTokens).ThenBy(e => e.CompletionTokens);
}

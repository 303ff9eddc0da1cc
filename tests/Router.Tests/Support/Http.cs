using System.Net.Http.Headers;
using System.Text.Json;
using System.Text;

namespace Router.Tests;

internal static class Http
{
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static string Chat(string model, string text = "Hello there", bool stream = false, int? maxTokens = null, bool usage = false) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["model"] = model,
            ["messages"] = new[] { new { role = "user", content = text } },
            ["stream"] = stream,
            ["max_tokens"] = maxTokens,
            ["stream_options"] = usage ? new { include_usage = true } : null,
        }.Where(kv => kv.Value is not null && !(kv.Key == "stream" && !stream)).ToDictionary());

    public static async Task<HttpResponseMessage> PostChatAsync(this HttpClient client, string body, CancellationToken ct = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Json(body) };
        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
    }

    /// <summary>The OpenAI error object of a failed response, checked for its shape.</summary>
    public static async Task<JsonElement> ErrorAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = doc.RootElement.GetProperty("error").Clone();
        Assert.Equal(JsonValueKind.String, error.GetProperty("message").ValueKind);
        Assert.Equal(JsonValueKind.String, error.GetProperty("type").ValueKind);
        Assert.True(error.TryGetProperty("param", out _));
        Assert.True(error.TryGetProperty("code", out _));
        return error;
    }

    /// <summary>Asserts the status, showing the body (the router's reason) when it differs.</summary>
    public static async Task ExpectAsync(this HttpResponseMessage response, System.Net.HttpStatusCode expected)
    {
        if (response.StatusCode == expected) return;
        var body = await response.Content.ReadAsStringAsync();
        Assert.Fail($"Expected {(int)expected} {expected}, got {(int)response.StatusCode} {response.StatusCode}: {body}");
    }

    public static string Header(this HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";

    public static AuthenticationHeaderValue Bearer(string key) => new("Bearer", key);
}

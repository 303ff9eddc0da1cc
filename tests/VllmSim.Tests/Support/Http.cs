using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace VllmSim.Tests.Support;

internal static class Http
{
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostJsonAsync(this HttpClient client, string path, string json)
    {
        using var response = await client.PostAsync(path, Json(json));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    public static async Task<(HttpStatusCode Status, string Body, MediaTypeHeaderValue? ContentType)> PostRawAsync(this HttpClient client, string path, string body)
    {
        using var response = await client.PostAsync(path, Json(body));
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType);
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path)
    {
        var text = await client.GetStringAsync(path);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Sends a request and returns once the headers are in, leaving the body to stream.</summary>
    public static Task<HttpResponseMessage> PostStreamAsync(this HttpClient client, string path, string json, CancellationToken ct = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json(json) };
        return client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
    }

    public static string Chat(string content, string extra = "") =>
        $$"""{"model":"{{Sim.ModelName}}","messages":[{"role":"user","content":{{JsonSerializer.Serialize(content)}}}]{{(extra.Length > 0 ? "," + extra : "")}}}""";
}

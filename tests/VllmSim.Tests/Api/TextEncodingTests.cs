using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using VllmSim.Tests.Support;

namespace VllmSim.Tests.Api;

/// <summary>
/// Bodies whose text vLLM's Python server cannot take: bytes that are not UTF-8 fail in FastAPI
/// before validation ("There was an error parsing the body", type "Bad Request"); a lone surrogate
/// escape parses (Python's json allows it) and fails once the text meets the tokenizer.
/// </summary>
public sealed class TextEncodingTests
{
    [Theory]
    [InlineData("/v1/chat/completions", """{"model":"test-model","messages":[{"role":"user","content":"hi ##"}]}""")]
    [InlineData("/v1/completions", """{"model":"test-model","prompt":"hi ##"}""")]
    [InlineData("/v1/embeddings", """{"model":"test-model","input":"hi ##"}""")]
    [InlineData("/v1/chat/completions", """{"model":"test-model","messages":[],"metadata":"## in a field nobody reads"}""")]
    public async Task NotUtf8_IsFastApisParseError(string path, string template)
    {
        await using var sim = await Sim.StartAsync();
        var at = template.IndexOf("##", StringComparison.Ordinal);
        byte[] body = [.. Encoding.UTF8.GetBytes(template[..at]), 0xFF, 0xFE, .. Encoding.UTF8.GetBytes(template[(at + 2)..])];

        var (status, error) = await PostBytesAsync(sim, path, body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("There was an error parsing the body", error.GetProperty("message").GetString());
        Assert.Equal("Bad Request", error.GetProperty("type").GetString());
        Assert.Equal(400, error.GetProperty("code").GetInt32());
        Assert.Equal(0, sim.Stats.RequestsStarted);
    }

    [Theory]
    [InlineData("""{"model":"test-model","messages":[{"role":"user","content":"hi \ud800 there"}]}""", "'\\ud800' in position 3")]
    [InlineData("""{"model":"test-model","messages":[{"role":"user","content":"\udc00"}]}""", "'\\udc00' in position 0")]
    public async Task LoneSurrogate_ParsesAndFailsAtTheTokenizer(string json, string where)
    {
        await using var sim = await Sim.StartAsync();

        var (status, error) = await PostBytesAsync(sim, "/v1/chat/completions", Encoding.UTF8.GetBytes(json));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal($"'utf-8' codec can't encode character {where}: surrogates not allowed", error.GetProperty("message").GetString());
        Assert.Equal("BadRequestError", error.GetProperty("type").GetString());
        Assert.Equal(0, sim.Stats.RequestsStarted);
    }

    [Fact]
    public async Task LoneSurrogate_AfterAWrongType_TheTypeErrorComesFirst()
    {
        await using var sim = await Sim.StartAsync();

        var (status, error) = await PostBytesAsync(sim, "/v1/chat/completions",
            """{"model":"test-model","max_tokens":"many","messages":[{"role":"user","content":"\ud800"}]}"""u8.ToArray());

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("max_tokens", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"model":"test-model","messages":[{"role":"user","content":"a pair \ud83d\ude42"}]}""")]
    [InlineData("""{"model":"test-model","messages":[{"role":"user","content":"an escaped backslash \\ud800"}]}""")]
    public async Task PairsAndEscapedBackslashes_AreServed(string json)
    {
        await using var sim = await Sim.StartAsync();

        var (status, _) = await PostBytesAsync(sim, "/v1/chat/completions", Encoding.UTF8.GetBytes(json));

        Assert.Equal(HttpStatusCode.OK, status);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Error)> PostBytesAsync(Sim sim, string path, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await sim.Client.PostAsync(new Uri(path, UriKind.Relative), content);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, doc.RootElement.TryGetProperty("error", out var error) ? error.Clone() : default);
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using VllmSim.Options;
using VllmSim.Tests.Support;

namespace VllmSim.Tests.Api;

/// <summary>--api-key as vLLM's AuthenticationMiddleware: every route but the public ones needs the Bearer key.</summary>
public sealed class ApiKeyTests
{
    private const string Key = "sk-test-0123456789";

    [Theory]
    [InlineData("/v1/models")]
    [InlineData("/v1/chat/completions")]
    [InlineData("/tokenize")]
    [InlineData("/is_sleeping")]
    [InlineData("/healthcheck")]
    public async Task GuardedRoute_WithoutTheKey_Is401Unauthorized(string path)
    {
        await using var sim = await Sim.StartAsync(o => { o.ApiKey = Key; o.EnableSleepMode = true; o.ServerDevMode = true; });

        using var response = await sim.Client.SendAsync(new HttpRequestMessage(path.StartsWith("/v1/chat", StringComparison.Ordinal) ? HttpMethod.Post : HttpMethod.Get, path)
        {
            Content = path.StartsWith("/v1/chat", StringComparison.Ordinal) ? Chat() : null,
        });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("{\"error\":\"Unauthorized\"}", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, sim.Stats.RequestsStarted);
    }

    [Theory]
    [InlineData("Bearer sk-wrong")]
    [InlineData("Basic c2stdGVzdA==")]
    [InlineData("Bearer")]
    [InlineData(Key)]
    public async Task WrongKeyOrScheme_Is401(string authorization)
    {
        await using var sim = await Sim.StartAsync(o => o.ApiKey = Key);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Chat() };
        request.Headers.TryAddWithoutValidation("Authorization", authorization);

        using var response = await sim.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("bearer")]
    public async Task TheKey_IsServed(string scheme)
    {
        await using var sim = await Sim.StartAsync(o => o.ApiKey = Key);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Chat() };
        request.Headers.TryAddWithoutValidation("Authorization", $"{scheme} {Key}");

        using var response = await sim.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, sim.Stats.RequestsStarted);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/ping")]
    [InlineData("/version")]
    [InlineData("/metrics")]
    public async Task PublicRoutes_NeedNoKey(string path)
    {
        await using var sim = await Sim.StartAsync(o => o.ApiKey = Key);

        using var response = await sim.Client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task WithoutAKey_NothingIsGuarded()
    {
        await using var sim = await Sim.StartAsync();

        using var response = await sim.Client.PostAsync(new Uri("/v1/chat/completions", UriKind.Relative), Chat());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void Key_ComesFromTheFlagOrVllmApiKey()
    {
        Assert.Equal("a", SimArgsParser.Parse(["m", "--api-key", "a"], _ => null).ApiKey);
        Assert.Equal("b", SimArgsParser.Parse(["m"], n => n == "VLLM_API_KEY" ? "b" : null).ApiKey);
        Assert.Equal("a", SimArgsParser.Parse(["m", "--api-key=a"], n => n == "VLLM_API_KEY" ? "b" : null).ApiKey);
        Assert.Empty(SimArgsParser.Parse(["m", "--api-key", "a"], _ => null).IgnoredFlags);
    }

    [Fact]
    public async Task StartUp_PrintsTheKeyAmongTheNonDefaultArgs_AsVllmDoes()
    {
        await using var sim = await Sim.StartAsync(o => o.ApiKey = Key);

        Assert.Contains($"non-default args: {{'api_key': ['{Key}']}}", sim.Log.ToString(), StringComparison.Ordinal);
    }

    private static StringContent Chat() => new(
        $$"""{"model":"{{Sim.ModelName}}","messages":[{"role":"user","content":"hi"}],"max_tokens":2}""",
        Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
}

using System.Net;
using VllmSim.Tests.Support;

namespace VllmSim.Tests.Api;

/// <summary>CORS as vLLM's defaults answer it (Starlette's CORSMiddleware allowing every origin, method and header).</summary>
public sealed class CorsTests
{
    [Fact]
    public async Task Preflight_Is200OkAllowingAnyOriginEveryMethodAndTheAskedHeaders()
    {
        await using var sim = await Sim.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Options, "/v1/chat/completions");
        request.Headers.Add("Origin", "http://webui.example:3000");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");

        using var response = await sim.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("OK", await response.Content.ReadAsStringAsync());
        Assert.Equal("*", Header(response, "Access-Control-Allow-Origin"));
        Assert.Equal("DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT", Header(response, "Access-Control-Allow-Methods"));
        Assert.Equal("authorization,content-type", Header(response, "Access-Control-Allow-Headers"));
        Assert.Equal("600", Header(response, "Access-Control-Max-Age"));
        Assert.Equal(0, sim.Stats.RequestsStarted);
    }

    [Fact]
    public async Task RequestWithAnOrigin_IsAllowedForAnyOrigin()
    {
        await using var sim = await Sim.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        request.Headers.Add("Origin", "http://anywhere.example");

        using var response = await sim.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("*", Header(response, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task RequestWithoutAnOrigin_GetsNoCorsHeaders()
    {
        await using var sim = await Sim.StartAsync();

        using var response = await sim.Client.GetAsync(new Uri("/v1/models", UriKind.Relative));

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values)
            : "";
}

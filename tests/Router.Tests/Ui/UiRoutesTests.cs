using System.Net;
using System.Net.Http.Headers;

namespace Router.Tests.Ui;

/// <summary>GET /ui and its two files over HTTP: no key needed, served from the assembly, locked down by headers.</summary>
public sealed class UiRoutesTests
{
    private static RouterFactory Router(string server = "") => new($$"""
        {{TestKeys.ClientsYaml}}
        server: { urls: ["http://127.0.0.1:0"] {{server}} }
        models:
          - { name: llama, instances: [{ name: llama_0, gpus: [0], endpoint: "http://127.0.0.1:9", maxModelLen: 8192 }] }
        """);

    [Theory]
    [InlineData("/ui", "text/html", "<link rel=\"stylesheet\" href=\"ui/app.css\">")]
    [InlineData("/ui/app.js", "text/javascript", "'use strict';")]
    [InlineData("/ui/app.css", "text/css", ".admin-only")]
    public async Task File_ServedWithoutAKey_WithItsTypeAndALockedDownPolicy(string path, string type, string content)
    {
        using var router = Router();
        using var client = router.Client();

        using var response = await client.GetAsync(path);

        await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Contains(content, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Header("X-Content-Type-Options"));
        Assert.Equal("no-cache", response.Header("Cache-Control"));
    }

    [Fact]
    public async Task Page_LoadsNothingFromElsewhere()
    {
        using var router = Router();
        using var client = router.Client();

        var html = await client.GetStringAsync("/ui");
        var script = await client.GetStringAsync("/ui/app.js");

        // Every link is the router's own file, relative to the page (or an empty data: icon).
        var links = System.Text.RegularExpressions.Regex.Matches(html, "(?:src|href)=\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["data:,", "ui/app.css", "ui/app.js"], links.Order(StringComparer.Ordinal));
        Assert.DoesNotContain("://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("://", script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SameETag_Answers304WithoutABody()
    {
        using var router = Router();
        using var client = router.Client();
        using var first = await client.GetAsync("/ui/app.js");
        var etag = first.Headers.ETag!;

        using var request = new HttpRequestMessage(HttpMethod.Get, "/ui/app.js");
        request.Headers.IfNoneMatch.Add(etag);
        using var again = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Empty(await again.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, again.Headers.ETag);
    }

    [Fact]
    public async Task TrailingSlash_RedirectsToThePage_SoItsRelativeLinksResolve()
    {
        using var router = Router();
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = router.Start() };

        using var response = await client.GetAsync("/ui/");

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal(new Uri(router.Start(), "/ui"), new Uri(new Uri(router.Start(), "/ui/"), response.Headers.Location!));
    }

    [Theory]
    [InlineData("GET", "/ui/settings", 404, "not_found")]
    [InlineData("GET", "/ui/../admin/instances", 401, "invalid_api_key")]
    [InlineData("POST", "/ui", 405, "method_not_allowed")]
    public async Task OtherPathsAndMethods_OpenAiErrors(string method, string path, int status, string code)
    {
        using var router = Router();
        using var client = router.Client();

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(code, (await Http.ErrorAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task OutsideTheAllowedNetworks_403_AsEveryRoute()
    {
        using var router = Router(", allowedNetworks: [\"100.64.0.0/10\"]");
        using var client = router.Client();

        using var response = await client.GetAsync("/ui");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("address_not_allowed", (await Http.ErrorAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task AKeySentAnyway_DoesNotMatter()
    {
        using var router = Router();
        using var client = router.Client("not-a-key");
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));

        using var response = await client.GetAsync("/ui");

        await response.ExpectAsync(HttpStatusCode.OK);
    }
}

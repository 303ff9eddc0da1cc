using System.Net;
using System.Net.Http.Headers;

namespace Router.Tests.Telemetry;

/// <summary>GET /metrics of the real router over Kestrel: who may scrape it and what a scraper receives.</summary>
public sealed class MetricsRouteTests
{
    private static RouterFactory Router(string server = "") => new($$"""
        {{TestKeys.ClientsYaml}}
        server: { maxRequestBodyBytes: 65536 {{server}} }
        models:
          - name: llama
            instances:
              - { name: llama_0, gpus: [0], endpoint: "http://127.0.0.1:9", maxModelLen: 8192 }
        """);

    [Fact]
    public async Task Scrape_WithoutAKeyAskingForOpenMetrics_GetsTheWholeTextFormatWithItsLength()
    {
        using var router = Router();
        using var scraper = router.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/metrics", UriKind.Relative));
        // What Prometheus sends: OpenMetrics first. The router has always answered with text 0.0.4.
        request.Headers.Accept.ParseAdd("application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.1");

        using var response = await scraper.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var declaredLength = response.Content.Headers.ContentLength;
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Null(response.Headers.TransferEncodingChunked);
        Assert.Equal(body.Length, declaredLength);
        var page = MetricsPage.Parse(System.Text.Encoding.UTF8.GetString(body));
        Assert.Contains("process_resident_memory_bytes", page.Families);
        Assert.DoesNotContain("# EOF", page.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scrape_FromOutsideTheAllowedNetworks_Is403EvenWithAKey()
    {
        using var router = Router(", allowedNetworks: [\"100.64.0.0/10\"]");
        using var scraper = router.Client(TestKeys.Admin);

        using var response = await scraper.GetAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("permission_error", (await Http.ErrorAsync(response)).GetProperty("type").GetString());
    }

    [Fact]
    public async Task Post_ToMetrics_IsNotAScrape()
    {
        using var router = Router();
        using var client = router.Client();

        using var response = await client.PostAsync(new Uri("/metrics", UriKind.Relative), new StringContent(""));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(new MediaTypeHeaderValue("application/json"), response.Content.Headers.ContentType is { } type ? new MediaTypeHeaderValue(type.MediaType!) : null);
    }
}

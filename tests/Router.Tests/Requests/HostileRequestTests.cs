using System.Text;

namespace Router.Tests.Requests;

/// <summary>
/// What a client can break besides the body: methods, paths, headers and framing, sent over a bare
/// socket as written. Kestrel refuses some itself (400, 414, 431); the router answers the rest.
/// Never a 5xx.
/// </summary>
public sealed class HostileRequestTests : IDisposable
{
    private readonly RouterFactory _router = new($$"""
        {{TestKeys.ClientsYaml}}
        models:
          - { name: llama, instances: [{ name: llama_0, gpus: [0], endpoint: "http://127.0.0.1:9/" }] }
        """);

    public static TheoryData<string, string> Requests => new()
    {
        { "an unknown method", "FOO /v1/models HTTP/1.1\r\n" },
        { "TRACE", "TRACE /v1/models HTTP/1.1\r\n" },
        { "CONNECT", "CONNECT evil.example:443 HTTP/1.1\r\n" },
        { "OPTIONS *", "OPTIONS * HTTP/1.1\r\n" },
        { "an encoded NUL in the path", "GET /v1/%00 HTTP/1.1\r\n" },
        { "a bad percent escape", "GET /v1/%zz HTTP/1.1\r\n" },
        { "an instance name that is not UTF-8", "POST /admin/instances/%FF%FE/start HTTP/1.1\r\nContent-Length: 0\r\n" },
        { "an instance name with slashes and dots", "POST /admin/instances/%2F..%2F..%2Fetc/stop HTTP/1.1\r\nContent-Length: 0\r\n" },
        { "a path of 20000 bytes", "GET /" + new string('a', 20_000) + " HTTP/1.1\r\n" },
        { "an absolute URI", "GET http://evil.example/v1/models HTTP/1.1\r\n" },
        { "a query that is not UTF-8", "GET /admin/usage?by=%FF&since=yesterday HTTP/1.1\r\n" },
        { "a huge key", "GET /v1/models HTTP/1.1\r\nAuthorization: Bearer " + new string('k', 30_000) + "\r\n" },
        { "two keys", "GET /v1/models HTTP/1.1\r\nAuthorization: Bearer x\r\n" },
        { "another auth scheme", "GET /v1/models HTTP/1.1\r\nAuthorization: Basic dXNlcjpwYXNz\r\n" },
        { "a negative Content-Length", "POST /v1/chat/completions HTTP/1.1\r\nContent-Length: -1\r\n" },
        { "a Content-Length beyond long", "POST /v1/chat/completions HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n" },
        { "Content-Length and chunked", "POST /v1/chat/completions HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n" },
        { "a gzip body", "POST /v1/chat/completions HTTP/1.1\r\nContent-Encoding: gzip\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}" },
        { "Expect: 100-continue", "POST /v1/chat/completions HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n{}" },
        { "an enormous trailer", "POST /v1/chat/completions HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\nX-Junk: " + new string('y', 40_000) + "\r\n" },
        { "an enormous chunk extension", "POST /v1/chat/completions HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2;" + new string('x', 5000) + "\r\n{}\r\n0\r\n" },
        { "HTTP/1.0 without Host", "GET /v1/models HTTP/1.0\r\n" },
    };

    public void Dispose() => _router.Dispose();

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task HostileRequest_IsNeverAServerError(string what, string head)
    {
        using var raw = await RawHttp.ConnectAsync(_router.Start());
        // The key goes after the request line (a test case may add a second one); Host unless HTTP/1.0 goes without.
        var lines = head.Split("\r\n", 2);
        var host = lines[0].EndsWith("HTTP/1.0", StringComparison.Ordinal) ? "" : "Host: 127.0.0.1\r\n";
        var text = $"{lines[0]}\r\n{host}Connection: close\r\nAuthorization: Bearer {TestKeys.Admin}\r\n{lines[1]}";
        if (!text.EndsWith("\r\n\r\n", StringComparison.Ordinal)) text += "\r\n";
        await raw.SendAsync(Encoding.Latin1.GetBytes(text));

        var response = await raw.ReadResponseAsync(TimeSpan.FromSeconds(30));

        Assert.True(response.Status is >= 200 and < 500, $"{what}: {response.Status} {response.Body}");
        if (response.Headers.TryGetValue("content-type", out var type) && type.StartsWith("application/json", StringComparison.Ordinal) && response.Status >= 400)
            Assert.Contains("\"error\":{\"message\":", response.Body, StringComparison.Ordinal);
    }
}

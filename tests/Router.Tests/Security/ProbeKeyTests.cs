using System.Net;
using GpuRouter.Security;
using Microsoft.AspNetCore.Http;

namespace Router.Tests.Security;

public class ProbeKeyTests
{
    private readonly ProbeKey _key = new();

    private HttpContext Request(string path, string remote, string? header, string local = "127.0.0.1")
    {
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        context.Connection.LocalIpAddress = IPAddress.Parse(local);
        if (header is not null) context.Request.Headers[ProbeKey.Header] = header;
        return context;
    }

    [Fact]
    public void Admits_OnlyHealth_FromThisHost_WithTheKey()
    {
        Assert.True(_key.Admits(Request("/health", "127.0.0.1", _key.Value)));
        Assert.True(_key.Admits(Request("/health", "::1", _key.Value, local: "::1")));
        Assert.True(_key.Admits(Request("/health", "100.101.102.103", _key.Value, local: "100.101.102.103")));

        Assert.False(_key.Admits(Request("/ready", "127.0.0.1", _key.Value)));
        Assert.False(_key.Admits(Request("/v1/models", "127.0.0.1", _key.Value)));
        Assert.False(_key.Admits(Request("/health", "100.64.0.7", _key.Value, local: "100.101.102.103")));
        Assert.False(_key.Admits(Request("/health", "127.0.0.1", null)));
        Assert.False(_key.Admits(Request("/health", "127.0.0.1", new ProbeKey().Value)));
        Assert.False(_key.Admits(Request("/health", "127.0.0.1", "not hex")));
        Assert.False(_key.Admits(Request("/health", "127.0.0.1", _key.Value[..^2])));
    }
}

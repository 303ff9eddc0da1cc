using GpuRouter.Docker;

namespace Router.Tests.Docker;

public sealed class DockerEndpointTests
{
    [Fact]
    public void Parse_UnixSocket_SocketPathAndUnixAddress()
    {
        var endpoint = DockerEndpoint.Parse("unix:///var/run/docker.sock");

        Assert.Equal("/var/run/docker.sock", endpoint.SocketPath);
        Assert.Equal("unix:///var/run/docker.sock", endpoint.Address.ToString());
        Assert.Equal("unix:///var/run/docker.sock", endpoint.Display);
    }

    [Theory]
    [InlineData("tcp://10.0.0.5:2376", "http://10.0.0.5:2376/")]
    [InlineData("tcp://docker-host", "http://docker-host:2375/")]
    [InlineData("http://127.0.0.1:2375", "http://127.0.0.1:2375/")]
    [InlineData("http://127.0.0.1:2375/", "http://127.0.0.1:2375/")]
    public void Parse_TcpOrHttp_PlainHttpAddressWithDockersDefaultPort(string value, string expected)
    {
        var endpoint = DockerEndpoint.Parse(value);

        Assert.Null(endpoint.SocketPath);
        Assert.Equal(expected, endpoint.Address.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("unix://var/run/docker.sock")]
    [InlineData("https://docker:2376")]
    [InlineData("npipe:////./pipe/docker_engine")]
    [InlineData("/var/run/docker.sock")]
    [InlineData("http://docker:2375/v1.41")]
    public void TryParse_Unsupported_ErrorNamesTheKey(string value)
    {
        Assert.False(DockerEndpoint.TryParse(value, out _, out var error));
        Assert.StartsWith("docker.endpoint", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("unix:///var/run/docker.sock", "unix:///var/run/docker.sock")]
    [InlineData("tcp://docker-host", "http://docker-host:2375/")]
    public void Connection_ConfiguredEndpoint_IsTheOneThePackageUsesWithoutATimerOfItsOwn(string value, string expected)
    {
        // Given no endpoint, the package's builder would read DOCKER_HOST and the docker CLI's contexts.
        using var client = DockerConnection.Build(DockerEndpoint.Parse(value), new Version(1, 41), TimeSpan.FromSeconds(5));

        Assert.Equal(expected, client.Options.Endpoint.ToString());
        Assert.Equal(new Version(1, 41), client.Options.ApiVersion);
        Assert.Equal(Timeout.InfiniteTimeSpan, client.Options.Timeout);
    }
}

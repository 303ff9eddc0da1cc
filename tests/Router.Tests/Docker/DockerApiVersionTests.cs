using GpuRouter.Docker;

namespace Router.Tests.Docker;

public sealed class DockerApiVersionTests
{
    [Fact]
    public void Compare_MinorNumbers_ComparedAsNumbers()
    {
        Assert.True(DockerApiVersion.Parse("1.9") < DockerApiVersion.Parse("1.41"));
        Assert.True(DockerApiVersion.Parse("2.0") > DockerApiVersion.Parse("1.47"));
        Assert.Equal("1.41", DockerApiVersion.Parse("1.41").ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("v1.41")]
    [InlineData("1.41.0")]
    [InlineData("1.-2")]
    public void TryParse_Malformed_False(string text) => Assert.False(DockerApiVersion.TryParse(text, out _));

    [Theory]
    [InlineData("1.41", "1.41")]
    [InlineData("1.45", "1.45")]
    [InlineData("1.47", "1.47")]
    [InlineData("1.52", "1.47")]
    public void Negotiate_SupportedDaemon_DaemonVersionCappedAtMaximum(string daemon, string expected) =>
        Assert.Equal(
            DockerApiVersion.Parse(expected),
            DockerApiVersion.Negotiate(DockerApiVersion.Parse(daemon), new DockerApiVersion(1, 12), "unix:///d.sock"));

    [Fact]
    public void Negotiate_DaemonBelowMinimum_RefusesNamingBoth()
    {
        var error = Assert.Throws<NotSupportedException>(
            () => DockerApiVersion.Negotiate(new DockerApiVersion(1, 40), null, "unix:///d.sock"));

        Assert.Contains("1.40", error.Message, StringComparison.Ordinal);
        Assert.Contains("at least 1.41", error.Message, StringComparison.Ordinal);
        Assert.Contains("unix:///d.sock", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Negotiate_DaemonDroppedOurVersions_Refuses() =>
        Assert.Throws<NotSupportedException>(
            () => DockerApiVersion.Negotiate(new DockerApiVersion(1, 60), new DockerApiVersion(1, 50), "tcp://d:2375"));
}

using GpuRouter.Docker;
using Router.Tests.Fixtures;

namespace Router.Tests.Docker;

[Collection(DockerEngineCollection.Name)]
public sealed class DockerEngineTests : IDisposable
{
    private readonly DockerEngineClient _client = DockerTestImage.CreateClient();

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task Ping_LocalEngine_Answers() => await _client.PingAsync(default);

    [Fact]
    public async Task GetVersion_LocalEngine_NegotiatesBetweenMinimumAndDaemon()
    {
        var version = await _client.GetVersionAsync(default);

        Assert.True(version.NegotiatedApiVersion >= DockerApiVersion.Minimum, version.ToString());
        Assert.True(version.NegotiatedApiVersion <= DockerApiVersion.Maximum, version.ToString());
        Assert.True(version.NegotiatedApiVersion <= version.DaemonApiVersion);
        Assert.False(string.IsNullOrEmpty(version.EngineVersion));
        Assert.Equal("linux", version.Os);
    }

    [Fact]
    public async Task InspectImage_TestImage_CarriesItsLabels()
    {
        var image = await _client.InspectImageAsync(DockerTestImage.Tag, default);

        Assert.NotNull(image);
        Assert.StartsWith("sha256:", image.ID, StringComparison.Ordinal);
        Assert.Contains(DockerTestImage.Tag, image.RepoTags ?? []);
        Assert.NotNull(image.Created);
        Assert.Equal(["/app"], image.Config?.Entrypoint);
    }

    [Fact]
    public async Task InspectImage_MissingImage_ReturnsNull() =>
        Assert.Null(await _client.InspectImageAsync("gpu-router/no-such-image:never", default));
}

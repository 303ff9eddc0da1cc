using GpuRouter.Docker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Router.Tests.Docker;

public sealed class DockerServiceCollectionExtensionsTests
{
    [Fact]
    public void AddDocker_ValidOptions_OneClientForTheApp()
    {
        using var provider = new ServiceCollection().AddLogging().AddDocker(new DockerOptions()).BuildServiceProvider();

        var client = provider.GetRequiredService<IDockerClient>();

        Assert.Same(client, provider.GetRequiredService<IDockerClient>());
        Assert.Equal("unix:///var/run/docker.sock", provider.GetRequiredService<DockerOptions>().Endpoint);
    }

    [Fact]
    public void AddDocker_InvalidOptions_EveryProblemAtOnceNamingKeys()
    {
        var options = new DockerOptions { Endpoint = "ftp://docker", RequestTimeout = TimeSpan.Zero, ConnectTimeout = TimeSpan.FromSeconds(-1) };

        var error = Assert.Throws<OptionsValidationException>(() => new ServiceCollection().AddDocker(options));

        Assert.Collection(
            error.Failures,
            failure => Assert.StartsWith("docker.endpoint", failure, StringComparison.Ordinal),
            failure => Assert.StartsWith("docker.requestTimeout", failure, StringComparison.Ordinal),
            failure => Assert.StartsWith("docker.connectTimeout", failure, StringComparison.Ordinal));
    }
}

namespace Router.Tests.Fixtures;

/// <summary>
/// The tests that run containers on the real engine share one image build and run one after
/// another, which keeps their load on the shared machine and daemon small.
/// </summary>
[CollectionDefinition(Name)]
public sealed class DockerTestImageCollection : ICollectionFixture<DockerTestImage>
{
    public const string Name = "Docker engine";
}

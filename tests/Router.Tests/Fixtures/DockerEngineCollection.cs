namespace Router.Tests.Fixtures;

/// <summary>
/// Every test that runs containers on a real engine: one collection, so they run one class at a
/// time and two cold starts never compete for the machine's two cores (and skew each other's
/// timeouts), and the images they run are built from this checkout before the first of them.
/// </summary>
[CollectionDefinition(Name)]
public sealed class DockerEngineCollection : ICollectionFixture<DockerTestImage>, ICollectionFixture<SimImage>
{
    public const string Name = "Docker engine";
}

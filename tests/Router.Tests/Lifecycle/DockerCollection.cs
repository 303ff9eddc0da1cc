namespace Router.Tests.Lifecycle;

/// <summary>
/// Tests that start containers share one xunit collection: they run one class at a time so two
/// cold starts never compete for the machine's two cores and skew each other's timeouts.
/// </summary>
[CollectionDefinition(Name)]
public sealed class DockerCollection
{
    public const string Name = "docker";
}

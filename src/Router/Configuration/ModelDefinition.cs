namespace GpuRouter.Configuration;

public enum ModelKind { Chat, Embedding, Rerank }

public enum ModelMode { Day, Night, Always }

public sealed class ModelDefinition
{
    public required string Name { get; init; }
    public required ModelKind Kind { get; init; }
    public required ModelMode Mode { get; init; }
    public string? Image { get; init; }
    public string? HfModel { get; init; }
    public required TimeSpan Ttl { get; init; }
    public IReadOnlyList<string> Args { get; init; } = [];
    public IReadOnlyList<InstanceDefinition> Instances { get; set; } = [];

    public bool ServesIn(ModelMode mode) => Mode == ModelMode.Always || Mode == mode;
}

using GpuRouter.Configuration;
namespace GpuRouter.Instances;

public enum ModelKind { Chat, Embedding, Rerank }

public enum ModelMode { Day, Night, Always }

public sealed class ModelDefinition
{
    public required string Name { get; init; }

    /// <summary>Other names clients may send for this model (e.g. gpt-4o-mini); the backend still sees <see cref="Name"/>.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];
    public required ModelKind Kind { get; init; }
    public required ModelMode Mode { get; init; }
    public string? Image { get; init; }
    public string? HfModel { get; init; }
    public required TimeSpan Ttl { get; init; }
    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>Container variables as written (<c>${VAR}</c> unexpanded); the instances' own entries win.</summary>
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    /// <summary>Overrides <c>routing.coldStartTimeout</c> for this model's instances (a first start that downloads tens of GB).</summary>
    public TimeSpan? ColdStartTimeout { get; init; }

    /// <summary>The <c>sleep:</c> section; null: idle instances are stopped, never put to sleep.</summary>
    public SleepOptions? Sleep { get; init; }

    public IReadOnlyList<InstanceDefinition> Instances { get; set; } = [];

    public bool ServesIn(ModelMode mode) => Mode == ModelMode.Always || Mode == mode;
}

using VllmSim.Api;

namespace VllmSim.Engine;

/// <summary>The names this server answers to (--served-model-name, else --model).</summary>
internal sealed class ServedModels(SimOptions options)
{
    private readonly HashSet<string> names = new(options.EffectiveModelNames, StringComparer.Ordinal);

    public IReadOnlyList<string> Names { get; } = options.EffectiveModelNames;

    /// <summary>
    /// The name to echo in the response: the one asked for, or the first served name when the
    /// request names none (vLLM makes "model" optional).
    /// </summary>
    public ApiError? Resolve(string? requested, out string name)
    {
        name = requested ?? Names[0];
        return requested is null || names.Contains(requested) ? null : ApiError.ModelNotFound(requested);
    }
}

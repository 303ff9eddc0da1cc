namespace GpuRouter.Configuration;

/// <summary>The config cannot be used; <see cref="Errors"/> holds every problem found, each naming its key.</summary>
public sealed class ConfigException(string path, IReadOnlyList<string> errors)
    : Exception($"Invalid config {path}:{Environment.NewLine}  - " + string.Join(Environment.NewLine + "  - ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}

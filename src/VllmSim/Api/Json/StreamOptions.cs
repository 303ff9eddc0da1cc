namespace VllmSim.Api.Json;

internal sealed class StreamOptions
{
    public bool? IncludeUsage { get; set; }

    public bool? ContinuousUsageStats { get; set; }
}

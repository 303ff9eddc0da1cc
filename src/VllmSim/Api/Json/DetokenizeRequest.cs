namespace VllmSim.Api.Json;

internal sealed class DetokenizeRequest
{
    public string? Model { get; set; }

    public List<long>? Tokens { get; set; }
}

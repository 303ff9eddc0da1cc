namespace VllmSim.Api.Json;

internal sealed class TokenizeRequest
{
    public string? Model { get; set; }

    public string? Prompt { get; set; }

    public List<ChatMessage?>? Messages { get; set; }

    public bool? ReturnTokenStrs { get; set; }
}

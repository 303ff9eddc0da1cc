namespace VllmSim.Api.Writers;

/// <summary>The identity of one Responses API response, shared by all its events.</summary>
internal sealed class ResponseState(string model, long createdAt, int? maxOutputTokens, string? instructions)
{
    public string Id { get; } = JsonOut.NewId("resp_");

    public string MessageId { get; } = JsonOut.NewId("msg_");

    public string Model => model;

    public long CreatedAt => createdAt;

    public int? MaxOutputTokens => maxOutputTokens;

    public string? Instructions => instructions;
}

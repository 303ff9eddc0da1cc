using System.Text.Json;

namespace GpuRouter.Cli;

/// <summary>The router's answer: its status and JSON body, or the failure a command reports.</summary>
/// <param name="Text">The body as the router sent it (what --json prints).</param>
internal sealed record AdminResult(int Status, JsonElement Body, string Text, CliFailure? Failure)
{
    public static AdminResult Unanswered(CliFailure failure) => new(0, default, "", failure);

    /// <summary>The OpenAI-shaped error's message; null when the body is not one (not a GPU Router's answer).</summary>
    public static string? ErrorMessage(JsonElement body) =>
        body.ValueKind == JsonValueKind.Object
        && body.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
        && error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String
            ? message.GetString()
            : null;
}

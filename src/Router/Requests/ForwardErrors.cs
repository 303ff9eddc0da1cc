using System.Text.Json;
using GpuRouter.Failures;
using GpuRouter.Forwarding;
using GpuRouter.Http;

namespace GpuRouter.Requests;

/// <summary>The one place where a forwarder failure becomes a status or an error frame.</summary>
internal static class ForwardErrors
{
    public static RouterError ForResult(ForwardResult result, string instance) => result.Error switch
    {
        ForwarderError.Connect => RouterError.From(Failure.Unavailable("backend_unavailable",
            $"The backend {instance} could not be reached ({result.Detail}). The router will restart it on the next request.",
            TimeSpan.FromSeconds(2), ErrorOrigin.Backend)),
        ForwarderError.RequestTimedOut or ForwarderError.ResponseBodyIdle => RouterError.From(Failure.BackendTimeout(
            $"The backend {instance} stopped answering ({result.Detail}).")),
        ForwarderError.ResponseBodyUpstream => RouterError.From(Failure.Unavailable("backend_failed",
            $"The backend {instance} failed mid-response ({result.Detail}).", TimeSpan.FromSeconds(2), ErrorOrigin.Backend)),
        _ => new RouterError(result.Status >= 400 ? result.Status : 502, "server_error", "backend_error", BackendMessage(result.Detail) ?? $"The backend {instance} answered {result.Status}.", Origin: ErrorOrigin.Backend),
    };

    /// <summary>The message inside a backend's OpenAI-shaped error body, or the raw text.</summary>
    public static string? BackendMessage(string? body)
    {
        if (string.IsNullOrWhiteSpace(body)) return null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("message", out var message)
                && message.ValueKind == JsonValueKind.String)
                return message.GetString();
        }
        catch (JsonException)
        {
            // Not JSON: pass the text on, shortened.
        }
        return body.Length > 500 ? body[..500] : body;
    }
}

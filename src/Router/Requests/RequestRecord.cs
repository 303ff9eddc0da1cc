using GpuRouter.Forwarding;
using GpuRouter.Security;

namespace GpuRouter.Requests;

/// <summary>What one request did, filled in as it goes and written to the log and metrics at the end.</summary>
internal sealed class RequestRecord(ClientIdentity client, long startedAt)
{
    public ClientIdentity Client { get; } = client;
    public long StartedAt { get; } = startedAt;
    public string? Model { get; set; }

    /// <summary>The model that serves the request: the requested one, or the night fallback.</summary>
    public string? ServedBy { get; set; }
    public string? Instance { get; set; }
    public string? Gpu { get; set; }
    public int EstimatedTokens { get; set; }
    public UsageCounts Usage { get; set; }
    public TimeSpan QueueWait { get; set; }
    public TimeSpan? ColdStart { get; set; }

    /// <summary>How long the request waited for its instance to wake (X-Router-Wake-Ms); null when it did not.</summary>
    public TimeSpan? Wake { get; set; }
    public TimeSpan? TimeToFirstByte { get; set; }
    public string Outcome { get; set; } = "ok";

    /// <summary>Open WebUI's end user (X-OpenWebUI-User-Id), for keys with trustUserHeaders only.</summary>
    public string? UserId { get; set; }

    public string? UserName { get; set; }
}

using System.Diagnostics;

namespace VllmSim.Tests.Support;

internal static class Sse
{
    /// <summary>Reads events to the end of the body, stamping each with its arrival time.</summary>
    public static async Task<List<SseEvent>> ReadAllAsync(HttpResponseMessage response, Stopwatch clock, CancellationToken ct = default)
    {
        var events = new List<SseEvent>();
        await foreach (var e in ReadAsync(response, clock, ct))
        {
            events.Add(e);
        }
        return events;
    }

    public static async IAsyncEnumerable<SseEvent> ReadAsync(HttpResponseMessage response, Stopwatch clock, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        string? type = null;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                yield return new SseEvent(type, line["data: ".Length..], clock.Elapsed);
                type = null;
            }
        }
    }
}

using System.Runtime.CompilerServices;
using System.Text.Json;

namespace GpuRouter.Docker;

/// <summary>Reads <c>GET /events</c>: one JSON object per line for as long as the connection stays open.</summary>
internal static class DockerEventStream
{
    private static readonly IReadOnlyDictionary<string, string> NoAttributes = new Dictionary<string, string>();

    public static async IAsyncEnumerable<DockerEvent> ReadAsync(
        DockerResponse response, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = await response.ReadAsync((stream, _) => Task.FromResult(new StreamReader(stream)));
        while (true)
        {
            string? line;
            try
            {
                line = await reader.ReadLineAsync(response.Call.Token);
            }
            catch (Exception exception) when (response.Call.Translate(exception) is { } unavailable)
            {
                throw unavailable;
            }

            if (line is null)
            {
                yield break;
            }

            if (Parse(line) is { } dockerEvent)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return dockerEvent;
            }
        }
    }

    /// <summary>One line of the stream as an event; null for a blank line.</summary>
    public static DockerEvent? Parse(string line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return null;
        }

        var message = JsonSerializer.Deserialize(line, DockerJsonContext.Default.DockerEventMessage)
            ?? throw new InvalidDataException("The Docker daemon sent a null event.");
        var time = message.TimeNano > 0
            ? DateTimeOffset.UnixEpoch.AddTicks(message.TimeNano / (TimeSpan.NanosecondsPerTick))
            : DateTimeOffset.FromUnixTimeSeconds(message.Time);
        return new DockerEvent(
            message.Type ?? "",
            message.Action ?? "",
            message.Actor?.Id ?? "",
            message.Actor?.Attributes ?? NoAttributes,
            time);
    }
}

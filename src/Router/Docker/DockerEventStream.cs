using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Docker.DotNet.Models;

namespace GpuRouter.Docker;

/// <summary>
/// Turns the package's event monitor, which reports each event through an <see cref="IProgress{T}"/>
/// while it reads the stream, into an <see cref="IAsyncEnumerable{T}"/> in the daemon's order.
/// <see cref="Report"/> runs synchronously on the reading loop and only queues the event
/// (<c>Progress&lt;T&gt;</c> would post each report to the thread pool, where a die can overtake
/// the oom before it). The stream never ends by itself: when the monitor returns or fails, the
/// enumeration throws, a closed stream as <see cref="DockerUnavailableException"/>.
/// </summary>
internal sealed class DockerEventStream : IProgress<Message>
{
    private static readonly IReadOnlyDictionary<string, string> NoAttributes = new Dictionary<string, string>();
    private readonly Channel<DockerEvent> _events = Channel.CreateUnbounded<DockerEvent>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    private Exception? _end;

    public void Report(Message value) => _events.Writer.TryWrite(ToEvent(value));

    /// <summary>
    /// Runs <paramref name="monitor"/> (the package's call, given this stream as its progress) and
    /// yields what it reports. <paramref name="translate"/> maps a failure of the monitor to the
    /// exception the consumer sees.
    /// </summary>
    public static async IAsyncEnumerable<DockerEvent> ReadAsync(
        Func<IProgress<Message>, CancellationToken, Task> monitor,
        Func<Exception, Exception> translate,
        Func<DockerUnavailableException> closed,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var stream = new DockerEventStream();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pump = stream.PumpAsync(monitor, translate, closed, stop.Token);
        try
        {
            await foreach (var dockerEvent in stream._events.Reader.ReadAllAsync(cancellationToken))
            {
                yield return dockerEvent;
            }

            throw stream._end!;
        }
        finally
        {
            // The consumer stopped early or was cancelled: end the monitor's request with it.
            await stop.CancelAsync();
            await pump;
        }
    }

    /// <summary>One message as the router's event; the time from <c>timeNano</c> when the daemon sends it.</summary>
    public static DockerEvent ToEvent(Message message)
    {
        var time = message.TimeNano is long nanos && nanos > 0
            ? DateTimeOffset.UnixEpoch.AddTicks(nanos / TimeSpan.NanosecondsPerTick)
            : DateTimeOffset.FromUnixTimeSeconds(message.Time ?? 0);
        return new DockerEvent(
            message.Type ?? "",
            message.Action ?? "",
            message.Actor?.ID ?? "",
            message.Actor?.Attributes is { } attributes ? new Dictionary<string, string>(attributes) : NoAttributes,
            time);
    }

    // Never throws: how the monitor ended is kept for the consumer, who sees it after the last event.
    private async Task PumpAsync(
        Func<IProgress<Message>, CancellationToken, Task> monitor,
        Func<Exception, Exception> translate,
        Func<DockerUnavailableException> closed,
        CancellationToken cancellationToken)
    {
        try
        {
            await monitor(this, cancellationToken);
            _end = closed();
        }
        catch (Exception exception)
        {
            _end = translate(exception);
        }

        _events.Writer.TryComplete();
    }
}

using GpuRouter.Docker;

namespace Router.Tests.Docker;

/// <summary>Reads an events subscription in the background and lets a test wait for what it expects.</summary>
internal sealed class EventRecorder : IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<DockerEvent> _events = [];
    private readonly Lock _lock = new();
    private readonly Task _pump;

    public EventRecorder(IDockerClient client, DockerEventFilters filters) =>
        _pump = Task.Run(() => PumpAsync(client, filters));

    public IReadOnlyList<DockerEvent> Snapshot()
    {
        lock (_lock)
        {
            return [.. _events];
        }
    }

    public async Task<IReadOnlyList<DockerEvent>> WaitForAsync(Func<IReadOnlyList<DockerEvent>, bool> done, TimeSpan timeout)
    {
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        while (true)
        {
            var events = Snapshot();
            if (done(events))
            {
                return events;
            }

            if (_pump.IsCompleted)
            {
                await _pump;
                throw new InvalidOperationException("The events stream ended early.");
            }

            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                var seen = string.Join(", ", events.Select(e => $"{e.Name}:{e.Action}"));
                throw new TimeoutException($"Expected events did not arrive within {timeout}; seen: {seen}");
            }

            await Task.Delay(PollInterval);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _pump;
        }
        catch (OperationCanceledException)
        {
            // The expected end of a recording.
        }

        _stop.Dispose();
    }

    private async Task PumpAsync(IDockerClient client, DockerEventFilters filters)
    {
        await foreach (var dockerEvent in client.EventsAsync(filters, _stop.Token))
        {
            lock (_lock)
            {
                _events.Add(dockerEvent);
            }
        }
    }
}

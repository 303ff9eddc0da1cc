using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace GpuRouter.Docker;

/// <summary>
/// One <c>GET /events</c> subscription. Opening it is bounded by the request timeout (the daemon
/// sends headers at once); after that the stream is open-ended and only the caller's token or
/// the daemon ends it. A dropped connection surfaces as <see cref="DockerUnavailableException"/>
/// so the consumer knows to resubscribe (with <see cref="DockerEventFilters.Since"/>).
/// </summary>
internal sealed class DockerEventSubscription(DockerClient client, DockerEventFilters filters, ILogger logger)
{
    public async IAsyncEnumerable<DockerEvent> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filtersJson = DockerQuery.FiltersJson(BuildFilters());
        var path = "/events?filters=" + Uri.EscapeDataString(filtersJson);
        if (filters.Since is { } since)
        {
            path += "&since=" + DockerQuery.UnixTime(since);
        }

        using var response = await client.SendAsync(HttpMethod.Get, path, versioned: true, cancellationToken);
        await response.EnsureSuccessAsync();
        response.Call.ReleaseTimeout();
        logger.EventsOpened(filtersJson);
        try
        {
            await foreach (var dockerEvent in DockerEventStream.ReadAsync(response, cancellationToken))
            {
                yield return dockerEvent;
            }
        }
        finally
        {
            logger.EventsClosed();
        }
    }

    private Dictionary<string, List<string>> BuildFilters()
    {
        var result = new Dictionary<string, List<string>>();
        AddIfAny(result, "type", filters.Types);
        AddIfAny(result, "event", filters.Actions);
        AddIfAny(result, "container", filters.Containers);
        AddIfAny(result, "label", DockerQuery.LabelValues(filters.Labels));
        return result;
    }

    private static void AddIfAny(Dictionary<string, List<string>> result, string name, IReadOnlyList<string> values)
    {
        if (values.Count > 0)
        {
            result[name] = [.. values];
        }
    }
}

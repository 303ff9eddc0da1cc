using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace GpuRouter.Docker;

/// <summary>
/// The Engine API over <see cref="DockerTransport"/>. Versioned paths use the API version
/// negotiated on first use (and again on every <see cref="GetVersionAsync"/>).
/// </summary>
internal sealed class DockerClient : IDockerClient, IDisposable
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");
    private readonly DockerTransport _transport;
    private readonly DockerOptions _options;
    private readonly ILogger<DockerClient> _logger;
    private volatile string? _versionPrefix;

    public DockerClient(DockerOptions options, TimeProvider time, ILogger<DockerClient> logger)
    {
        _options = options;
        _logger = logger;
        _transport = new DockerTransport(DockerEndpoint.Parse(options.Endpoint), options.ConnectTimeout, time);
    }

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, "/_ping", versioned: false, cancellationToken);
        await response.EnsureSuccessAsync();
    }

    public async Task<DockerVersionInfo> GetVersionAsync(CancellationToken cancellationToken)
    {
        // /version is answered at any API level; it is how the level is chosen.
        using var response = await SendAsync(HttpMethod.Get, "/version", versioned: false, cancellationToken);
        await response.EnsureSuccessAsync();
        var body = await response.ReadJsonAsync(DockerJsonContext.Default.DockerVersionResponse);
        var daemon = DockerApiVersion.Parse(body.ApiVersion);
        DockerApiVersion? daemonMinimum = DockerApiVersion.TryParse(body.MinApiVersion, out var min) ? min : null;
        var negotiated = DockerApiVersion.Negotiate(daemon, daemonMinimum, _transport.Endpoint.Display);
        var prefix = "/v" + negotiated;
        if (_versionPrefix != prefix)
        {
            _versionPrefix = prefix;
            _logger.ApiVersionNegotiated(negotiated, body.Version, _transport.Endpoint.Display, daemon);
        }

        return new DockerVersionInfo(body.Version, daemon, daemonMinimum, negotiated, body.Os, body.Arch);
    }

    public async Task<string> CreateContainerAsync(string name, ContainerCreateSpec spec, CancellationToken cancellationToken)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(spec, DockerJsonContext.Default.ContainerCreateSpec));
        content.Headers.ContentType = JsonMediaType;
        using var response = await SendAsync(
            HttpMethod.Post, $"/containers/create?name={DockerQuery.Segment(name)}", content, _options.RequestTimeout, cancellationToken);
        await response.EnsureSuccessAsync();
        var created = await response.ReadJsonAsync(DockerJsonContext.Default.ContainerCreateResponse);
        _logger.ContainerCreated(name, created.Id);
        foreach (var warning in created.Warnings ?? [])
        {
            _logger.ContainerCreateWarning(name, warning);
        }

        return created.Id;
    }

    public async Task<bool> StartContainerAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, $"/containers/{DockerQuery.Segment(id)}/start", versioned: true, cancellationToken);
        var alreadyRunning = response.StatusCode == HttpStatusCode.NotModified;
        if (!alreadyRunning)
        {
            await response.EnsureSuccessAsync();
        }

        _logger.ContainerStarted(id, alreadyRunning);
        return !alreadyRunning;
    }

    public async Task<bool> StopContainerAsync(string id, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        var seconds = (long)Math.Ceiling(timeout.TotalSeconds);
        // The daemon answers only once the container is gone, which may take the whole grace period.
        var callTimeout = TimeSpan.FromSeconds(seconds) + _options.StopTimeoutMargin;
        using var response = await SendAsync(
            HttpMethod.Post, $"/containers/{DockerQuery.Segment(id)}/stop?t={seconds}", null, callTimeout, cancellationToken);
        var alreadyStopped = response.StatusCode == HttpStatusCode.NotModified;
        if (!alreadyStopped)
        {
            await response.EnsureSuccessAsync();
        }

        _logger.ContainerStopped(id, alreadyStopped);
        return !alreadyStopped;
    }

    public async Task KillContainerAsync(string id, string signal, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(
            HttpMethod.Post, $"/containers/{DockerQuery.Segment(id)}/kill?signal={DockerQuery.Segment(signal)}", versioned: true, cancellationToken);
        await response.EnsureSuccessAsync();
        _logger.ContainerKilled(id, signal);
    }

    public async Task<bool> RemoveContainerAsync(string id, bool force, bool ignoreMissing, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(
            HttpMethod.Delete, $"/containers/{DockerQuery.Segment(id)}?force={DockerQuery.Bool(force)}", versioned: true, cancellationToken);
        var missing = response.StatusCode == HttpStatusCode.NotFound;
        if (!(missing && ignoreMissing))
        {
            await response.EnsureSuccessAsync();
        }

        _logger.ContainerRemoved(id, missing);
        return !missing;
    }

    public async Task<ContainerInspect?> InspectContainerAsync(string idOrName, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/containers/{DockerQuery.Segment(idOrName)}/json", versioned: true, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await response.EnsureSuccessAsync();
        return await response.ReadJsonAsync(DockerJsonContext.Default.ContainerInspect);
    }

    public async Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(
        IReadOnlyDictionary<string, string?> labelFilters, bool all, CancellationToken cancellationToken)
    {
        var path = $"/containers/json?all={DockerQuery.Bool(all)}";
        if (labelFilters.Count > 0)
        {
            var filters = new Dictionary<string, List<string>> { ["label"] = DockerQuery.LabelValues(labelFilters) };
            path += "&filters=" + Uri.EscapeDataString(DockerQuery.FiltersJson(filters));
        }

        using var response = await SendAsync(HttpMethod.Get, path, versioned: true, cancellationToken);
        await response.EnsureSuccessAsync();
        return await response.ReadJsonAsync(DockerJsonContext.Default.ListContainerSummary);
    }

    public async Task<string> GetLogsTailAsync(string id, int lines, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(lines);
        using var response = await SendAsync(
            HttpMethod.Get, $"/containers/{DockerQuery.Segment(id)}/logs?stdout=true&stderr=true&tail={lines}", versioned: true, cancellationToken);
        await response.EnsureSuccessAsync();
        var multiplexed = DockerLogReader.IsMultiplexed(response)
            ?? !((await InspectContainerAsync(id, cancellationToken))?.Config.Tty ?? false);
        return await DockerLogReader.ReadAsync(response, multiplexed);
    }

    public async Task<int> WaitContainerAsync(string id, CancellationToken cancellationToken)
    {
        // The daemon sends nothing, not even headers, until the container stops: no timeout here.
        using var response = await SendAsync(
            HttpMethod.Post, $"/containers/{DockerQuery.Segment(id)}/wait", null, Timeout.InfiniteTimeSpan, cancellationToken);
        await response.EnsureSuccessAsync();
        var result = await response.ReadJsonAsync(DockerJsonContext.Default.ContainerWaitResponse);
        if (result.Error?.Message is { Length: > 0 } message)
        {
            throw new DockerApiException(response.StatusCode, message, response.Call.Description);
        }

        return (int)result.StatusCode;
    }

    public IAsyncEnumerable<DockerEvent> EventsAsync(DockerEventFilters filters, CancellationToken cancellationToken) =>
        new DockerEventSubscription(this, filters, _logger).ReadAsync(cancellationToken);

    public async Task<ImageInspect?> InspectImageAsync(string name, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/images/{DockerQuery.ImageName(name)}/json", versioned: true, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await response.EnsureSuccessAsync();
        return await response.ReadJsonAsync(DockerJsonContext.Default.ImageInspect);
    }

    public void Dispose() => _transport.Dispose();

    internal Task<DockerResponse> SendAsync(HttpMethod method, string path, bool versioned, CancellationToken cancellationToken) =>
        SendAsync(method, path, null, _options.RequestTimeout, cancellationToken, versioned);

    internal async Task<DockerResponse> SendAsync(
        HttpMethod method, string path, HttpContent? content, TimeSpan timeout, CancellationToken cancellationToken, bool versioned = true)
    {
        var prefix = versioned ? _versionPrefix ?? await NegotiateAsync(cancellationToken) : "";
        var response = await _transport.SendAsync(method, prefix + path, content, timeout, cancellationToken);
        if ((int)response.StatusCode >= 400)
        {
            _logger.ErrorAnswered((int)response.StatusCode, response.Call.Description);
        }

        return response;
    }

    private async Task<string> NegotiateAsync(CancellationToken cancellationToken)
    {
        var version = await GetVersionAsync(cancellationToken);
        return "/v" + version.NegotiatedApiVersion;
    }
}

using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;

namespace GpuRouter.Docker;

/// <summary>
/// <see cref="IDockerClient"/> over the Docker.DotNet package. The package does the HTTP, the
/// models and the stream framing; this adds what it lacks (see <see cref="DockerCall"/>,
/// <see cref="DockerEventStream"/>, <see cref="DockerLogTail"/>) and the API version floor: the
/// package speaks whatever version it is built with, so <c>/version</c> is asked first, at no
/// version, and the level chosen by <see cref="DockerApiVersion.Negotiate"/> (at least 1.41,
/// at most the daemon's) is the one every other call uses.
/// </summary>
internal sealed class DockerEngineClient : IDockerClient, IDisposable
{
    private readonly DockerTimeouts _timeouts;
    private readonly DockerEndpoint _endpoint;
    private readonly TimeProvider _time;
    private readonly ILogger<DockerEngineClient> _logger;
    private readonly DockerClient _unversioned;
    private readonly Lock _lock = new();
    private readonly List<DockerClient> _retired = [];
    private volatile Versioned? _versioned;

    public DockerEngineClient(DockerOptions options, TimeProvider time, ILogger<DockerEngineClient> logger)
        : this(DockerEndpoint.Parse(options.Endpoint), options.Timeouts, time, logger)
    {
    }

    /// <summary>A client of <paramref name="endpoint"/>, a remote TLS engine's included (see <see cref="RemoteDocker"/>).</summary>
    internal DockerEngineClient(DockerEndpoint endpoint, DockerTimeouts timeouts, TimeProvider time, ILogger<DockerEngineClient> logger)
    {
        _timeouts = timeouts;
        _time = time;
        _logger = logger;
        _endpoint = endpoint;
        _unversioned = DockerConnection.Build(_endpoint, null, timeouts.Connect);
    }

    /// <summary>What this client talks to, as configured (e.g. <c>tcp://dgx:2376</c>).</summary>
    public string Endpoint => _endpoint.Display;

    public Task PingAsync(CancellationToken cancellationToken) =>
        Call("GET /_ping", _timeouts.Request).RunAsync(token => _unversioned.System.PingAsync(token), cancellationToken);

    public async Task<DockerVersionInfo> GetVersionAsync(CancellationToken cancellationToken)
    {
        var body = await Call("GET /version", _timeouts.Request)
            .RunAsync(token => _unversioned.System.GetVersionAsync(token), cancellationToken);
        var daemon = DockerApiVersion.Parse(body.APIVersion);
        DockerApiVersion? daemonMinimum = DockerApiVersion.TryParse(body.MinAPIVersion, out var min) ? min : null;
        var negotiated = DockerApiVersion.Negotiate(daemon, daemonMinimum, _endpoint.Display);
        if (_versioned?.Version != negotiated)
        {
            Use(negotiated);
            _logger.ApiVersionNegotiated(negotiated, body.Version, _endpoint.Display, daemon);
        }

        return new DockerVersionInfo(body.Version, daemon, daemonMinimum, negotiated, body.Os, body.Arch);
    }

    public async Task<string> CreateContainerAsync(CreateContainerParameters parameters, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(parameters.Name);
        var docker = await VersionedAsync(cancellationToken);
        var created = await docker.Call(this, "POST", "containers/create", _timeouts.Request)
            .RunAsync(token => docker.Client.Containers.CreateContainerAsync(parameters, token), cancellationToken);
        _logger.ContainerCreated(parameters.Name, created.ID);
        foreach (var warning in created.Warnings ?? [])
        {
            _logger.ContainerCreateWarning(parameters.Name, warning);
        }

        return created.ID;
    }

    public async Task<bool> StartContainerAsync(string id, CancellationToken cancellationToken)
    {
        var docker = await VersionedAsync(cancellationToken);
        var started = await docker.Call(this, "POST", $"containers/{id}/start", _timeouts.Request)
            .RunAsync(token => docker.Client.Containers.StartContainerAsync(id, null, token), cancellationToken);
        _logger.ContainerStarted(id, !started);
        return started;
    }

    public async Task<bool> StopContainerAsync(string id, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        var seconds = (uint)Math.Ceiling(timeout.TotalSeconds);
        // The daemon answers only once the container is gone, which may take the whole grace period.
        var callTimeout = TimeSpan.FromSeconds(seconds) + _timeouts.StopMargin;
        var docker = await VersionedAsync(cancellationToken);
        var stopped = await docker.Call(this, "POST", $"containers/{id}/stop", callTimeout).RunAsync(
            token => docker.Client.Containers.StopContainerAsync(id, new ContainerStopParameters { WaitBeforeKillSeconds = seconds }, token),
            cancellationToken);
        _logger.ContainerStopped(id, !stopped);
        return stopped;
    }

    public async Task KillContainerAsync(string id, string signal, CancellationToken cancellationToken)
    {
        var docker = await VersionedAsync(cancellationToken);
        await docker.Call(this, "POST", $"containers/{id}/kill", _timeouts.Request).RunAsync(
            token => docker.Client.Containers.KillContainerAsync(id, new ContainerKillParameters { Signal = signal }, token),
            cancellationToken);
        _logger.ContainerKilled(id, signal);
    }

    public async Task<bool> RemoveContainerAsync(string id, bool force, bool ignoreMissing, CancellationToken cancellationToken)
    {
        var docker = await VersionedAsync(cancellationToken);
        try
        {
            await docker.Call(this, "DELETE", $"containers/{id}", _timeouts.Request).RunAsync(
                token => docker.Client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = force }, token),
                cancellationToken);
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound && ignoreMissing)
        {
            _logger.ContainerRemoved(id, wasMissing: true);
            return false;
        }

        _logger.ContainerRemoved(id, wasMissing: false);
        return true;
    }

    public async Task<ContainerInspectResponse?> InspectContainerAsync(string idOrName, CancellationToken cancellationToken)
    {
        var docker = await VersionedAsync(cancellationToken);
        return await NullWhenMissing(docker.Call(this, "GET", $"containers/{idOrName}/json", _timeouts.Request)
            .RunAsync(token => docker.Client.Containers.InspectContainerAsync(idOrName, token), cancellationToken));
    }

    public async Task<IReadOnlyList<ContainerListResponse>> ListContainersAsync(
        IReadOnlyDictionary<string, string?> labelFilters, bool all, CancellationToken cancellationToken)
    {
        var parameters = new ContainersListParameters { All = all, Filters = DockerQuery.Filters(("label", DockerQuery.LabelValues(labelFilters))) };
        var docker = await VersionedAsync(cancellationToken);
        var listed = await docker.Call(this, "GET", "containers/json", _timeouts.Request)
            .RunAsync(token => docker.Client.Containers.ListContainersAsync(parameters, token), cancellationToken);
        return [.. listed];
    }

    public async Task<string> GetLogsTailAsync(string id, int lines, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(lines);
        var parameters = new ContainerLogsParameters { ShowStdout = true, ShowStderr = true, Tail = lines.ToString(CultureInfo.InvariantCulture) };
        var docker = await VersionedAsync(cancellationToken);
        return await docker.Call(this, "GET", $"containers/{id}/logs", _timeouts.Request).RunAsync(async token =>
        {
            // The package inspects the container first: only its TTY setting says whether the body is multiplexed.
            using var stream = await docker.Client.Containers.GetContainerLogsAsync(id, parameters, token);
            return await DockerLogTail.ReadAsync(stream, token);
        }, cancellationToken);
    }

    public async Task<int> WaitContainerAsync(string id, CancellationToken cancellationToken)
    {
        var docker = await VersionedAsync(cancellationToken);
        // The daemon sends nothing, not even headers, until the container stops: no timeout here.
        var call = docker.Call(this, "POST", $"containers/{id}/wait", Timeout.InfiniteTimeSpan);
        var result = await call.RunAsync(token => docker.Client.Containers.WaitContainerAsync(id, token), cancellationToken);
        if (result.Error?.Message is { Length: > 0 } message)
        {
            throw new DockerApiException(HttpStatusCode.OK, message, call.Description);
        }

        return (int)result.StatusCode;
    }

    public async IAsyncEnumerable<DockerEvent> EventsAsync(
        DockerEventFilters filters, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var parameters = new ContainerEventsParameters
        {
            Filters = DockerQuery.Filters(
                ("type", filters.Types), ("event", filters.Actions), ("container", filters.Containers), ("label", DockerQuery.LabelValues(filters.Labels))),
            Since = filters.Since is { } since ? DockerQuery.UnixTime(since) : null,
        };
        var docker = await VersionedAsync(cancellationToken);
        // Open-ended: only the caller's token or the daemon ends it, so no timeout (the package
        // reports nothing until the first event, which may come hours later).
        var call = docker.Call(this, "GET", "events", Timeout.InfiniteTimeSpan);
        _logger.EventsOpened(JsonSerializer.Serialize(parameters.Filters));
        try
        {
            await foreach (var dockerEvent in DockerEventStream.ReadAsync(
                (progress, token) => docker.Client.System.MonitorEventsAsync(parameters, progress, token),
                exception => call.Translate(exception, cancellationToken, timedOut: false) ?? exception,
                () => call.Unavailable($"The Docker daemon at {_endpoint.Display} closed the events stream ({call.Description}).", null),
                cancellationToken))
            {
                yield return dockerEvent;
            }
        }
        finally
        {
            _logger.EventsClosed();
        }
    }

    public async Task<ImageInspectResponse?> InspectImageAsync(string name, CancellationToken cancellationToken)
    {
        var docker = await VersionedAsync(cancellationToken);
        return await NullWhenMissing(docker.Call(this, "GET", $"images/{name}/json", _timeouts.Request)
            .RunAsync(token => docker.Client.Images.InspectImageAsync(name, token), cancellationToken));
    }

    public void Dispose()
    {
        _unversioned.Dispose();
        _endpoint.Tls?.Dispose();
        _versioned?.Client.Dispose();
        lock (_lock)
        {
            _retired.ForEach(client => client.Dispose());
        }
    }

    private static async Task<T?> NullWhenMissing<T>(Task<T> call)
        where T : class
    {
        try
        {
            return await call;
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private DockerCall Call(string description, TimeSpan timeout) => new(_endpoint, description, timeout, _time, _logger);

    private async ValueTask<Versioned> VersionedAsync(CancellationToken cancellationToken)
    {
        if (_versioned is { } versioned)
        {
            return versioned;
        }

        await GetVersionAsync(cancellationToken);
        return _versioned!;
    }

    // A daemon upgraded under a running router is spoken to at its new level; the old client may
    // still carry a call (an events stream), so it is kept until this client goes.
    private void Use(DockerApiVersion version)
    {
        var client = DockerConnection.Build(_endpoint, new System.Version(version.Major, version.Minor), _timeouts.Connect);
        lock (_lock)
        {
            if (_versioned is { } old)
            {
                _retired.Add(old.Client);
            }

            _versioned = new Versioned(version, client);
        }
    }

    /// <summary>The package's client speaking one API version.</summary>
    private sealed record Versioned(DockerApiVersion Version, DockerClient Client)
    {
        public DockerCall Call(DockerEngineClient owner, string method, string path, TimeSpan timeout) =>
            owner.Call($"{method} /v{Version}/{path}", timeout);
    }
}

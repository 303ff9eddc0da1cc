using Microsoft.Extensions.Logging;

namespace GpuRouter.Docker;

/// <summary>The Docker client's log messages. Event ids 3000-3099 belong to this folder and never change meaning.</summary>
internal static partial class DockerLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information,
        Message = "Docker Engine API {NegotiatedApiVersion} in use with Docker {EngineVersion} at {Endpoint} (daemon API {DaemonApiVersion})")]
    public static partial void ApiVersionNegotiated(
        this ILogger logger, DockerApiVersion negotiatedApiVersion, string engineVersion, string endpoint, DockerApiVersion daemonApiVersion);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Docker answered {StatusCode} to {Request}")]
    public static partial void ErrorAnswered(this ILogger logger, int statusCode, string request);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "Docker container {Name} created as {ContainerId}")]
    public static partial void ContainerCreated(this ILogger logger, string name, string containerId);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Docker created container {Name} with a warning: {Warning}")]
    public static partial void ContainerCreateWarning(this ILogger logger, string name, string warning);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Debug, Message = "Docker container {ContainerId} started (already running: {AlreadyRunning})")]
    public static partial void ContainerStarted(this ILogger logger, string containerId, bool alreadyRunning);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Debug, Message = "Docker container {ContainerId} stopped (already stopped: {AlreadyStopped})")]
    public static partial void ContainerStopped(this ILogger logger, string containerId, bool alreadyStopped);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Debug, Message = "Docker container {ContainerId} sent {Signal}")]
    public static partial void ContainerKilled(this ILogger logger, string containerId, string signal);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Debug, Message = "Docker container {ContainerId} removed (was missing: {WasMissing})")]
    public static partial void ContainerRemoved(this ILogger logger, string containerId, bool wasMissing);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Debug, Message = "Docker events stream opened with filters {Filters}")]
    public static partial void EventsOpened(this ILogger logger, string filters);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Debug, Message = "Docker events stream closed")]
    public static partial void EventsClosed(this ILogger logger);
}

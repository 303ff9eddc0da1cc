using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Router.Tests.Gpu;

/// <summary>Keeps every log line so tests can assert on warnings by event id.</summary>
internal sealed class RecordingLogger<T> : ILogger<T>
{
    public ConcurrentQueue<(LogLevel Level, EventId Id, string Message)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((logLevel, eventId, formatter(state, exception)));

    public IReadOnlyList<(LogLevel Level, EventId Id, string Message)> Warnings =>
        [.. Entries.Where(e => e.Level == LogLevel.Warning)];
}

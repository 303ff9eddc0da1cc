using Microsoft.Extensions.Logging;

namespace VllmSim.Hosting;

internal sealed class SimLogger(LogSink sink, string category) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    // Level filtering is done by the logging builder's minimum level and filters.
    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        // The crash victim's handler ends with this on purpose; the crash logs itself.
        if (IsEnabled(logLevel) && exception is not EngineCrashedException)
        {
            sink.Write(logLevel, category, formatter(state, exception), exception);
        }
    }
}

using Microsoft.Extensions.Logging;

namespace VllmSim.Hosting;

/// <summary>Routes every ILogger of the simulator to its <see cref="LogSink"/>.</summary>
internal sealed class SimLoggerProvider(LogSink sink) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new SimLogger(sink, ShortName(categoryName));

    public void Dispose()
    {
    }

    // vLLM names the source file; the last segment of the category plays that part here.
    private static string ShortName(string category)
    {
        var dot = category.LastIndexOf('.');
        return dot >= 0 ? category[(dot + 1)..] : category;
    }
}

using System.Globalization;
using Microsoft.Extensions.Logging;

namespace VllmSim.Hosting;

/// <summary>
/// Writes log lines synchronously, in vLLM's layout ("WARNING 11-22 04:56:00 [vllm-sim] ...").
/// Synchronous on purpose: the crash line must be the last line out, and a queued background
/// logger could print older lines after it. Nothing is logged per request or token, so it stays cheap.
/// </summary>
internal sealed class LogSink(TextWriter output, TimeProvider time)
{
    private readonly Lock gate = new();

    public void Write(LogLevel level, string category, string message, Exception? exception)
    {
        var stamp = time.GetLocalNow().ToString("MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var line = $"{Name(level)} {stamp} [{category}] {message}";
        lock (gate)
        {
            output.WriteLine(line);
            if (exception is not null)
            {
                output.WriteLine(exception.ToString());
            }
            output.Flush();
        }
    }

    /// <summary>A line as it is, such as the last line of a Python traceback.</summary>
    public void WriteRaw(string line)
    {
        lock (gate)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }

    private static string Name(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARNING",
        LogLevel.Error => "ERROR",
        _ => "CRITICAL",
    };
}

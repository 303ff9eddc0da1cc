using System.Globalization;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Json;

namespace GpuRouter.Hosting;

/// <summary>
/// Writes <see cref="JsonLogFormat"/>'s line: <c>t</c>, <c>level</c>, <c>msg</c>, <c>exception</c>
/// when there is one, then every property at the top level, values as Serilog's
/// <see cref="JsonValueFormatter"/> writes them. The same text as the Serilog.Expressions template
/// <see cref="JsonLogFormat.Template"/> (a test holds the two to each other), at a fifth of its
/// cost per line: the template's <c>..@p</c> builds a structure of all properties for every event
/// before writing it, and the request line is written once per request.
/// </summary>
internal sealed class JsonLogFormatter : ITextFormatter
{
    private static readonly JsonValueFormatter Values = new(typeTagName: "$type");

    public void Format(LogEvent logEvent, TextWriter output)
    {
        output.Write("{\"t\":\"");
        output.Write(logEvent.Timestamp.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        output.Write("\",\"level\":\"");
        output.Write(LevelName(logEvent.Level));
        output.Write("\",\"msg\":");
        JsonValueFormatter.WriteQuotedJsonString(logEvent.RenderMessage(CultureInfo.InvariantCulture), output);
        if (logEvent.Exception is { } exception)
        {
            output.Write(",\"exception\":");
            JsonValueFormatter.WriteQuotedJsonString(exception.ToString(), output);
        }
        foreach (var (name, value) in logEvent.Properties)
        {
            output.Write(',');
            JsonValueFormatter.WriteQuotedJsonString(name, output);
            output.Write(':');
            Values.Format(value, output);
        }
        output.Write("}\n");
    }

    private static string LevelName(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose => "Verbose",
        LogEventLevel.Debug => "Debug",
        LogEventLevel.Information => "Information",
        LogEventLevel.Warning => "Warning",
        LogEventLevel.Error => "Error",
        LogEventLevel.Fatal => "Fatal",
        _ => level.ToString(),
    };
}

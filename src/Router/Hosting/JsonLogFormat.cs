using System.Globalization;
using Serilog.Events;
using Serilog.Formatting;

namespace GpuRouter.Hosting;

/// <summary>
/// One JSON object per line: the time (UTC, round-trip format), the level's full name, the
/// rendered message, the exception when there is one, then every property at the top level.
/// Log shippers and users' queries index these names, so they never change. The line is defined
/// by the Serilog.Expressions template <see cref="Template"/> (with <c>msg</c> from
/// <see cref="Rendered"/>: Serilog's own rendering, <c>client="webui"</c>, where <c>@m</c> would
/// drop the quotes); <see cref="JsonLogFormatter"/> writes the same text at a fraction of the
/// template's cost, and a test holds the two to each other.
/// </summary>
internal static class JsonLogFormat
{
    /// <summary>An object literal written as JSON; an undefined member (no exception) is left out.</summary>
    public const string Template = "{ {t: UtcDateTime(@t), level: @l, msg: Rendered(), exception: @x, ..@p} }\n";

    public static ITextFormatter Create() => new JsonLogFormatter();

    /// <summary>The template's <c>Rendered()</c>: the message as <see cref="LogEvent.RenderMessage(IFormatProvider?)"/> renders it.</summary>
    public static LogEventPropertyValue Rendered(LogEvent logEvent) =>
        new ScalarValue(logEvent.RenderMessage(CultureInfo.InvariantCulture));
}

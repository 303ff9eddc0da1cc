using System.Globalization;
using Serilog.Events;
using Serilog.Expressions;
using Serilog.Formatting;
using Serilog.Templates;

namespace GpuRouter.Hosting;

/// <summary>
/// One JSON object per line: the time (UTC, round-trip format), the level's full name, the
/// rendered message, the exception when there is one, then every property at the top level.
/// Log shippers and users' queries index these names, so they never change. Serilog.Expressions
/// writes the line; the one thing it does differently is <c>@m</c>, which renders string values
/// without quotes, so the message comes from <see cref="Rendered"/> (Serilog's own rendering,
/// as the router has always written it: <c>client="webui"</c>).
/// </summary>
internal static class JsonLogFormat
{
    /// <summary>An object literal written as JSON; an undefined member (no exception) is left out.</summary>
    public const string Template = "{ {t: UtcDateTime(@t), level: @l, msg: Rendered(), exception: @x, ..@p} }\n";

    public static ITextFormatter Create() =>
        new ExpressionTemplate(Template, CultureInfo.InvariantCulture, new StaticMemberNameResolver(typeof(JsonLogFormat)));

    /// <summary>The template's <c>Rendered()</c>: the message as <see cref="LogEvent.RenderMessage(IFormatProvider?)"/> renders it.</summary>
    public static LogEventPropertyValue Rendered(LogEvent logEvent) =>
        new ScalarValue(logEvent.RenderMessage(CultureInfo.InvariantCulture));
}

using System.Globalization;
using GpuRouter.Hosting;
using Serilog.Events;
using Serilog.Parsing;
using Serilog.Templates;

namespace Router.Tests.Hosting;

/// <summary>
/// The hand-written formatter writes the very text of the Serilog.Expressions template it replaced
/// (kept here as the reference), byte for byte, for every kind of value a log event can carry.
/// </summary>
public class JsonLogFormatterTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 6, 0, 0, 123, TimeSpan.FromHours(1));

    public static TheoryData<string> Events => new(EventsByName.Keys);

    [Theory]
    [MemberData(nameof(Events))]
    public void Format_WritesWhatTheTemplateWrites(string name)
    {
        var logEvent = EventsByName[name]();
        Assert.Equal(Write(Reference(), logEvent), Write(new JsonLogFormatter(), logEvent));
    }

    [Fact]
    public void Create_IsTheHandWrittenFormatter() => Assert.IsType<JsonLogFormatter>(JsonLogFormat.Create());

    private static ExpressionTemplate Reference() =>
        new(JsonLogFormat.Template, CultureInfo.InvariantCulture, new Serilog.Expressions.StaticMemberNameResolver(typeof(JsonLogFormat)));

    private static string Write(Serilog.Formatting.ITextFormatter formatter, LogEvent logEvent)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        formatter.Format(logEvent, writer);
        return writer.ToString();
    }

    private static readonly Dictionary<string, Func<LogEvent>> EventsByName = new()
    {
        ["request line"] = () => Event(LogEventLevel.Information, null,
            "{Method} {Path} {Status} client={Client} source={Source} model={Model} instance={Instance} gpu={Gpu} estimatedTokens={EstimatedTokens} promptTokens={PromptTokens} completionTokens={CompletionTokens} queueMs={QueueMs} coldStartMs={ColdStartMs} ttftMs={TtftMs} durationMs={DurationMs} outcome={Outcome}",
            ("Method", "POST"), ("Path", "/v1/chat/completions"), ("Status", 200), ("Client", "webui"), ("Source", "interactive"),
            ("Model", "llama"), ("Instance", "llama_0"), ("Gpu", "0,1"), ("EstimatedTokens", 900), ("PromptTokens", 912),
            ("CompletionTokens", 250), ("QueueMs", 0.0), ("ColdStartMs", null), ("TtftMs", 180.25), ("DurationMs", 2400.5),
            ("Outcome", "ok"), ("EventId", Structure(("Id", 1000), ("Name", "Completed"))),
            ("SourceContext", "GpuRouter.Proxy.RequestObserver"), ("ConnectionId", "0HNQG8NB4J66I"),
            ("RequestId", "0HNQG8NB4J66I:00000001"), ("RequestPath", "/v1/chat/completions")),
        ["escapes and unicode"] = () => Event(LogEventLevel.Warning, null, "client={Client} note={Note}",
            ("Client", "we\"b\\ui\n\t\r\u0001\u001f</script>"), ("Note", "héllo \ud83d\ude42 \u2028 \u00ff"), ("we\"ird name", "x")),
        ["numbers"] = () => Event(LogEventLevel.Debug, null, "{A} {B} {C} {D} {E} {F} {G} {H}",
            ("A", long.MaxValue), ("B", -1.0e-7), ("C", double.NaN), ("D", double.PositiveInfinity), ("E", 12.5m),
            ("F", 3.0f), ("G", (byte)7), ("H", ulong.MaxValue)),
        ["other scalars"] = () => Event(LogEventLevel.Error, null, "{A} {B} {C} {D} {E} {F} {G} {H}",
            ("A", true), ("B", 'c'), ("C", At), ("D", new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc)),
            ("E", TimeSpan.FromMilliseconds(1234.5)), ("F", Guid.Parse("0191c8f0-0000-7000-8000-000000000001")),
            ("G", LogEventLevel.Fatal), ("H", new Uri("http://127.0.0.1:8000/v1"))),
        ["sequences, dictionaries, typed structures"] = () => Event(LogEventLevel.Fatal, null, "{List} {Map} {Typed}",
            ("List", new SequenceValue([new ScalarValue(1), new ScalarValue("two"), new ScalarValue(null)])),
            ("Map", new DictionaryValue([new(new ScalarValue("k"), new ScalarValue(1)), new(new ScalarValue(2), new SequenceValue([]))])),
            ("Typed", new StructureValue([new("Inner", new StructureValue([]))], "SomeType"))),
        ["exception and format specifiers"] = () => Event(LogEventLevel.Error, new InvalidOperationException("boom \"quoted\"", new IOException("inner")),
            "took {Duration:0.0} ms on {Path,-10}|{Count:x}", ("Duration", 12.345), ("Path", "/p"), ("Count", 255)),
        ["no properties"] = () => Event(LogEventLevel.Verbose, null, "plain text with {{braces}}"),
        ["property not in the message"] = () => Event(LogEventLevel.Information, null, "Now listening on: {address}",
            ("address", "http://127.0.0.1:8000"), ("EventId", Structure(("Id", 14), ("Name", "ListeningOnAddress"))),
            ("SourceContext", "Microsoft.Hosting.Lifetime")),
    };

    private static StructureValue Structure(params (string Name, object? Value)[] properties) =>
        new(properties.Select(p => new LogEventProperty(p.Name, new ScalarValue(p.Value))));

    private static LogEvent Event(LogEventLevel level, Exception? exception, string template, params (string Name, object? Value)[] properties)
    {
        if (exception is not null)
        {
            try { throw exception; }
            catch (Exception thrown) { exception = thrown; } // with a stack trace, as logged exceptions have
        }
        return new LogEvent(At, level, exception, new MessageTemplateParser().Parse(template),
            properties.Select(p => new LogEventProperty(p.Name, p.Value as LogEventPropertyValue ?? new ScalarValue(p.Value))));
    }
}

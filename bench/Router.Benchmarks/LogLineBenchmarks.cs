using BenchmarkDotNet.Attributes;
using GpuRouter.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;
using Serilog.Extensions.Logging;
using Serilog.Formatting;
using Serilog.Formatting.Json;
using Serilog.Core;
using Serilog.Parsing;

namespace GpuRouter.Benchmarks;

/// <summary>
/// What the per-request log line costs at Information: formatting the line's event with the
/// router's JSON formatter, with the Serilog.Expressions template that defines the same line, and
/// with Serilog's stock JsonFormatter (the same fields nested, the template repeated); and the
/// whole path from an <see cref="Microsoft.Extensions.Logging.ILogger"/> call with the request's
/// scope through Serilog to a writer.
/// </summary>
[MemoryDiagnoser]
public class LogLineBenchmarks
{
    private const string RequestTemplate = "{Method} {Path} {Status} client={Client} source={Source} model={Model} instance={Instance} gpu={Gpu} estimatedTokens={EstimatedTokens} promptTokens={PromptTokens} completionTokens={CompletionTokens} queueMs={QueueMs} coldStartMs={ColdStartMs} ttftMs={TtftMs} durationMs={DurationMs} outcome={Outcome}";

    private static readonly Action<Microsoft.Extensions.Logging.ILogger, string, string, int, string, string, string, Exception?> Line =
        LoggerMessage.Define<string, string, int, string, string, string>(LogLevel.Information, new EventId(1000, "Completed"),
            "{Method} {Path} {Status} client={Client} source={Source} outcome={Outcome}");

    private readonly ITextFormatter _router = JsonLogFormat.Create();
    private readonly ITextFormatter _stock = new JsonFormatter(renderMessage: true);
    private readonly ITextFormatter _template = new Serilog.Templates.ExpressionTemplate(
        JsonLogFormat.Template, System.Globalization.CultureInfo.InvariantCulture, new Serilog.Expressions.StaticMemberNameResolver(typeof(JsonLogFormat)));
    private LogEvent _event = null!;
    private Microsoft.Extensions.Logging.ILogger _logger = null!;
    private ILoggerFactory _factory = null!;
    private readonly Dictionary<string, object> _scope = new()
    {
        ["ConnectionId"] = "0HNQG8NB4J66I", ["RequestId"] = "0HNQG8NB4J66I:00000001", ["RequestPath"] = "/v1/chat/completions",
    };

    [GlobalSetup]
    public void Setup()
    {
        object?[] values = ["POST", "/v1/chat/completions", 200, "webui", "interactive", "llama", "llama_0", "0", 900, 912, 250, 0.0, null, 180.25, 2400.5, "ok"];
        var template = new MessageTemplateParser().Parse(RequestTemplate);
        var names = template.Tokens.OfType<PropertyToken>().Select(t => t.PropertyName).ToArray();
        var properties = names.Select((n, i) => new LogEventProperty(n, new ScalarValue(values[i])))
            .Append(new LogEventProperty("EventId", new StructureValue([new("Id", new ScalarValue(1000)), new("Name", new ScalarValue("Completed"))])))
            .Append(new LogEventProperty("SourceContext", new ScalarValue("GpuRouter.Proxy.RequestObserver")))
            .Concat(_scope.Select(kv => new LogEventProperty(kv.Key, new ScalarValue(kv.Value))));
        _event = new LogEvent(DateTimeOffset.UtcNow, LogEventLevel.Information, null, template, properties);

        var serilog = new LoggerConfiguration().MinimumLevel.Information().WriteTo.Sink(new FormattingSink(_router)).CreateLogger();
        _factory = LoggerFactory.Create(b => b.ClearProviders().AddSerilog(serilog, dispose: true));
        _logger = _factory.CreateLogger("GpuRouter.Proxy.RequestObserver");
    }

    [GlobalCleanup]
    public void Cleanup() => _factory.Dispose();

    [Benchmark(Baseline = true)]
    public void FormatStockJson() => _stock.Format(_event, TextWriter.Null);

    [Benchmark]
    public void FormatRouterJson() => _router.Format(_event, TextWriter.Null);

    [Benchmark]
    public void FormatTemplate() => _template.Format(_event, TextWriter.Null);

    [Benchmark]
    public void LogThroughProvider()
    {
        using (_logger.BeginScope(_scope)) Line(_logger, "POST", "/v1/chat/completions", 200, "webui", "interactive", "ok", null);
    }
}

/// <summary>Formats every event to a writer that drops the text: the formatter's cost without the console's.</summary>
internal sealed class FormattingSink(ITextFormatter formatter) : ILogEventSink
{
    public void Emit(LogEvent logEvent) => formatter.Format(logEvent, TextWriter.Null);
}

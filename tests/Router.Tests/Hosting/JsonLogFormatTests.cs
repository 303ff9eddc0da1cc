using System.Globalization;
using System.Text.Json;
using GpuRouter.Configuration;
using GpuRouter.Hosting;
using Serilog.Events;
using Serilog.Parsing;

namespace Router.Tests.Hosting;

public class JsonLogFormatTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Format_RequestLine_IsOneJsonObjectWithTopLevelProperties()
    {
        var logEvent = RequestEvent(new InvalidOperationException("boom"));
        var text = Format(logEvent);

        Assert.EndsWith("}\n", text, StringComparison.Ordinal);
        Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var doc = JsonDocument.Parse(text);
        var root = doc.RootElement;
        Assert.Equal("2026-11-22T06:00:00.0000000Z", root.GetProperty("t").GetString());
        Assert.Equal("Information", root.GetProperty("level").GetString());
        Assert.Contains("/v1/chat/completions", root.GetProperty("msg").GetString(), StringComparison.Ordinal);
        Assert.Equal(200, root.GetProperty("Status").GetInt32());
        Assert.Equal("we\"b\nui", root.GetProperty("Client").GetString());
        Assert.Equal(1.5, root.GetProperty("QueueMs").GetDouble());
        Assert.Contains("boom", root.GetProperty("exception").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Format_FieldsComeInTheirOrder_MessageAsSerilogRendersIt_NoExceptionKeyWithoutOne()
    {
        var logEvent = RequestEvent(exception: null);
        using var doc = JsonDocument.Parse(Format(logEvent));
        var root = doc.RootElement;

        Assert.Equal(["t", "level", "msg", "Method", "Path", "Status", "Client", "QueueMs", "EventId"],
            root.EnumerateObject().Select(p => p.Name));
        // Strings in the message keep Serilog's quotes (client="we\"b\nui"), as the router has always written them.
        Assert.Equal(logEvent.RenderMessage(CultureInfo.InvariantCulture), root.GetProperty("msg").GetString());
        Assert.StartsWith("\"POST\" \"/v1/chat/completions\" 200 client=", root.GetProperty("msg").GetString(), StringComparison.Ordinal);
        Assert.Equal(1000, root.GetProperty("EventId").GetProperty("Id").GetInt32());
        Assert.Equal("POST", root.GetProperty("Method").GetString());
    }

    private static LogEvent RequestEvent(Exception? exception)
    {
        var template = new MessageTemplateParser().Parse("{Method} {Path} {Status} client={Client}");
        var properties = new List<LogEventProperty>
        {
            new("Method", new ScalarValue("POST")),
            new("Path", new ScalarValue("/v1/chat/completions")),
            new("Status", new ScalarValue(200)),
            new("Client", new ScalarValue("we\"b\nui")),
            new("QueueMs", new ScalarValue(1.5)),
            new("EventId", new StructureValue([new("Id", new ScalarValue(1000)), new("Name", new ScalarValue("Completed"))])),
        };
        return new LogEvent(At, LogEventLevel.Information, exception, template, properties);
    }

    private static string Format(LogEvent logEvent)
    {
        using var writer = new StringWriter();
        JsonLogFormat.Create().Format(logEvent, writer);
        return writer.ToString();
    }
}

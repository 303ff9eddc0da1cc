using System.Text.Json;
using GpuRouter.Configuration;
using Serilog.Events;
using Serilog.Parsing;

namespace Router.Tests.Configuration;

public class CompactJsonFormatterTests
{
    [Fact]
    public void Format_RequestLine_IsOneJsonObjectWithTopLevelProperties()
    {
        var template = new MessageTemplateParser().Parse("{Method} {Path} {Status} client={Client}");
        var properties = new List<LogEventProperty>
        {
            new("Method", new ScalarValue("POST")),
            new("Path", new ScalarValue("/v1/chat/completions")),
            new("Status", new ScalarValue(200)),
            new("Client", new ScalarValue("we\"b\nui")),
            new("QueueMs", new ScalarValue(1.5)),
        };
        var logEvent = new LogEvent(new DateTimeOffset(2026, 11, 22, 6, 0, 0, TimeSpan.Zero), LogEventLevel.Information,
            new InvalidOperationException("boom"), template, properties);
        using var writer = new StringWriter();
        new CompactJsonFormatter().Format(logEvent, writer);
        var text = writer.ToString();

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
}

using System.Collections.Frozen;
using System.Text;
using GpuRouter.Requests;
using Router.Tests.Requests.Bodies;

namespace Router.Tests.Requests;

public sealed class RequestScannerChatTests
{
    [Fact]
    public void Scan_OwuiMultiTurn_ReadsEveryFact()
    {
        var facts = Scan(SampleBodies.OwuiMultiTurn);

        Assert.Null(facts.Error);
        Assert.Equal("llama", facts.Model);
        Assert.True(facts.Stream);
        Assert.True(facts.IncludeUsage);
        Assert.Null(facts.MaxTokens);
        Assert.Equal(4, facts.MessageCount);
        Assert.Equal(0, facts.ImageCount);
        Assert.False(facts.IsOwuiTaskPrompt);
        // About 80 words of English in four messages: prose plus 5 per message plus 3.
        Assert.InRange(facts.EstimatedPromptTokens, 95, 130);
    }

    [Fact]
    public void Scan_ChatEstimate_IsTemplateOverheadPlusEveryContent()
    {
        var facts = Scan("""{"model":"m","messages":[{"role":"system","content":"abcd"},{"role":"user","content":"abcdabcd"}]}""");

        Assert.Equal(3 + (5 + 1) + (5 + 2), facts.EstimatedPromptTokens);
    }

    [Fact]
    public void Scan_ImagesWithBase64DataUrls_CountFixedCostNotTheBase64()
    {
        var facts = Scan(SampleBodies.ChatWithImages(base64Bytes: 200_000));

        Assert.Null(facts.Error);
        Assert.Equal(2, facts.ImageCount);
        Assert.InRange(facts.EstimatedPromptTokens, 2 * TokenEstimator.ImageTokens, (2 * TokenEstimator.ImageTokens) + 30);
    }

    [Fact]
    public void Scan_OwuiTitleTask_IsRecognised()
    {
        var facts = Scan(SampleBodies.OwuiTitleTask);

        Assert.True(facts.IsOwuiTaskPrompt);
        Assert.False(facts.Stream);
        Assert.Equal(1000, facts.MaxTokens);
        Assert.Equal(1, facts.MessageCount);
    }

    [Theory]
    [InlineData("""{"model":"m","stream":true,"messages":[{"role":"user","content":"### Task:\nTitle"}]}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"### Task:\nTitle"},{"role":"user","content":"more"}]}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"Hello"},{"role":"user","content":"### Task:\nTitle"}]}""")]
    [InlineData("""{"model":"m","messages":[{"role":"assistant","content":"### Task:\nTitle"}]}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":" ### Task: leading space"}]}""")]
    public void Scan_NotAnOwuiTask_IsNotFlagged(string body)
    {
        Assert.False(Scan(body).IsOwuiTaskPrompt);
    }

    [Theory]
    [InlineData("""{"messages":[{"content":"### Task:\nTitle","role":"user"}],"model":"m"}""")]
    [InlineData("""{"model":"m","stream":false,"messages":[{"role":"system","content":"sys"},{"role":"user","content":[{"text":"### Task:\nTags","type":"text"}]}]}""")]
    public void Scan_OwuiTaskInAnyShape_IsFlagged(string body)
    {
        Assert.True(Scan(body).IsOwuiTaskPrompt);
    }

    [Fact]
    public void Scan_PropertiesInAnyOrder_GiveTheSameFacts()
    {
        string[] properties =
        [
            "\"model\":\"llama\"",
            "\"stream\":true",
            "\"stream_options\":{\"include_usage\":true}",
            "\"max_completion_tokens\":256",
            "\"messages\":[{\"content\":\"Hello there, how are you?\",\"role\":\"user\"}]",
            "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{}}}]",
        ];
        var expected = Scan("{" + string.Join(",", properties) + "}");
        var random = new Random(42);

        for (var i = 0; i < 50; i++)
        {
            var shuffled = properties.OrderBy(_ => random.Next()).ToArray();
            Assert.Equal(expected, Scan("{" + string.Join(",", shuffled) + "}"));
        }

        Assert.Equal(256, expected.MaxTokens);
        Assert.True(expected.IncludeUsage);
    }

    [Fact]
    public void Scan_EscapedNamesAndValues_AreDecoded()
    {
        var facts = Scan("""{"mod\u0065l":"ll\u0061ma","str\u0065am":true,"messages":[{"role":"\u0075ser","content":"\u4f60\u597d"}]}""");

        Assert.Null(facts.Error);
        Assert.Equal("llama", facts.Model);
        Assert.True(facts.Stream);
        Assert.Equal(3 + 5 + 2, facts.EstimatedPromptTokens);
    }

    [Fact]
    public void Scan_MaxCompletionTokens_WinsOverMaxTokensInEitherOrder()
    {
        Assert.Equal(7, Scan("""{"model":"m","max_completion_tokens":7,"max_tokens":9,"messages":[]}""").MaxTokens);
        Assert.Equal(7, Scan("""{"model":"m","max_tokens":9,"max_completion_tokens":7,"messages":[]}""").MaxTokens);
        Assert.Equal(9, Scan("""{"model":"m","max_tokens":9,"max_completion_tokens":null,"messages":[]}""").MaxTokens);
        Assert.Null(Scan("""{"model":"m","max_tokens":null,"messages":[]}""").MaxTokens);
        Assert.Equal(0, Scan("""{"model":"m","max_tokens":0,"messages":[]}""").MaxTokens);
    }

    [Fact]
    public void Scan_MaxTokensBeyondInt_ReadsAsIntMax()
    {
        Assert.Equal(int.MaxValue, Scan("""{"model":"m","max_tokens":99999999999999999999,"messages":[]}""").MaxTokens);
    }

    [Fact]
    public void Scan_ToolsAndToolCalls_CountTheirJson()
    {
        const string Tools = """[{"type":"function","function":{"name":"get_weather","description":"Get the current weather for a city.","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]""";
        var without = Scan("""{"model":"m","messages":[{"role":"user","content":"Weather in Paris?"}]}""");
        var with = Scan($$$"""{"model":"m","tools":{{{Tools}}},"messages":[{"role":"user","content":"Weather in Paris?"},{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},{"role":"tool","tool_call_id":"c1","content":"18C, cloudy"}]}""");

        Assert.True(with.EstimatedPromptTokens >= without.EstimatedPromptTokens + TokenEstimator.CountJsonFragment(Tools.Length) + 20);
        Assert.Equal(3, with.MessageCount);
    }

    [Fact]
    public void Scan_LenientAboutFieldsRoutingDoesNotUse()
    {
        var facts = Scan("""{"model":"m","messages":[{"role":5,"content":123},{"role":"user","content":{"odd":true}},{"role":"user","content":[1,null,{"type":"input_audio","input_audio":{"data":"AAAA"}}]}],"temperature":"hot"}""");

        Assert.Null(facts.Error);
        Assert.Equal(3, facts.MessageCount);
        Assert.Equal(0, facts.ImageCount);
    }

    [Fact]
    public void Scan_LargeChat_EstimatesAboutAQuarterTokenPerByte()
    {
        var body = Encoding.UTF8.GetBytes(SampleBodies.LargeChat(256 * 1024));

        var facts = RequestScanner.Scan(body, EndpointKind.ChatCompletions);

        Assert.Null(facts.Error);
        Assert.True(facts.MessageCount > 100);
        Assert.InRange(facts.EstimatedPromptTokens, body.Length / 5, body.Length / 3);
    }

    [Fact]
    public void Scan_KnownModel_ReturnsTheConfiguredInstance()
    {
        var configured = new string("llama".AsSpan());
        var known = new[] { configured, "qwen-72b" }.ToFrozenSet(StringComparer.Ordinal);

        var facts = RequestScanner.Scan("""{"model":"llama","messages":[]}"""u8, EndpointKind.ChatCompletions, known);
        var unknown = RequestScanner.Scan("""{"model":"mistral","messages":[]}"""u8, EndpointKind.ChatCompletions, known);

        Assert.Same(configured, facts.Model);
        Assert.Equal("mistral", unknown.Model);
    }

    [Fact]
    public void Scan_ValidBodyWithKnownModel_AllocatesNothing()
    {
        var body = Encoding.UTF8.GetBytes(SampleBodies.OwuiMultiTurn);
        var known = new[] { "llama" }.ToFrozenSet(StringComparer.Ordinal);
        RequestScanner.Scan(body, EndpointKind.ChatCompletions, known);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var facts = RequestScanner.Scan(body, EndpointKind.ChatCompletions, known);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(facts.IsValid);
        Assert.Equal(0, allocated);
    }

    private static RequestFacts Scan(string body) =>
        RequestScanner.Scan(Encoding.UTF8.GetBytes(body), EndpointKind.ChatCompletions);
}

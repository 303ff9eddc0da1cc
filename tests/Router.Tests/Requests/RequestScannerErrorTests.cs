using System.Text;
using GpuRouter.Requests;

namespace Router.Tests.Requests;

public sealed class RequestScannerErrorTests
{
    private const string InvalidJsonStart = "We could not parse the JSON body of your request.";

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{")]
    [InlineData("""{"model":""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}""")]
    [InlineData("""{"model":"m",}""")]
    [InlineData("""{"model":"m"} trailing""")]
    [InlineData("""{"model":"m"}{"model":"n"}""")]
    [InlineData("""{"model":'m'}""")]
    [InlineData("""{"model":"m", /* comment */ "messages":[]}""")]
    [InlineData("""{"model":"m","temperature":NaN,"messages":[]}""")]
    [InlineData("""{"model":"m\x"}""")]
    [InlineData("[1, 2")]
    public void Scan_MalformedJson_GivesOpenAisParseError(string body)
    {
        var error = Scan(body).Error;

        Assert.NotNull(error);
        Assert.StartsWith(InvalidJsonStart, error.Message, StringComparison.Ordinal);
        Assert.Null(error.Param);
    }

    [Theory]
    [InlineData("[]", "an array")]
    [InlineData("\"text\"", "a string")]
    [InlineData("42", "a number")]
    [InlineData("null", "null")]
    [InlineData("true", "a boolean")]
    public void Scan_BodyNotAnObject_SaysWhatItGot(string body, string got)
    {
        var error = Scan(body).Error;

        Assert.NotNull(error);
        Assert.Equal($"Invalid type for request body: expected an object, but got {got} instead.", error.Message);
        Assert.Equal("invalid_type", error.Code);
    }

    [Theory]
    [InlineData("""{"messages":[]}""", "Missing required parameter: 'model'.")]
    [InlineData("""{"model":null,"messages":[]}""", "Missing required parameter: 'model'.")]
    [InlineData("""{"model":42,"messages":[]}""", "Invalid type for 'model': expected a string, but got a number instead.")]
    [InlineData("""{"model":["m"],"messages":[]}""", "Invalid type for 'model': expected a string, but got an array instead.")]
    [InlineData("""{"model":{"name":"m"},"messages":[]}""", "Invalid type for 'model': expected a string, but got an object instead.")]
    public void Scan_BadModel_NamesTheModelParam(string body, string message)
    {
        AssertError(body, message, "model");
    }

    [Theory]
    [InlineData("""{"model":"m","stream":"true","messages":[]}""", "a string")]
    [InlineData("""{"model":"m","stream":1,"messages":[]}""", "a number")]
    [InlineData("""{"model":"m","stream":{},"messages":[]}""", "an object")]
    public void Scan_StreamNotBoolean_IsRefused(string body, string got)
    {
        AssertError(body, $"Invalid type for 'stream': expected a boolean, but got {got} instead.", "stream");
    }

    [Theory]
    [InlineData("""{"model":"m","max_tokens":"100","messages":[]}""", "max_tokens", "Invalid type for 'max_tokens': expected an integer, but got a string instead.")]
    [InlineData("""{"model":"m","max_tokens":1.5,"messages":[]}""", "max_tokens", "Invalid type for 'max_tokens': expected an integer, but got a decimal number instead.")]
    [InlineData("""{"model":"m","max_tokens":1e3,"messages":[]}""", "max_tokens", "Invalid type for 'max_tokens': expected an integer, but got a decimal number instead.")]
    [InlineData("""{"model":"m","max_tokens":true,"messages":[]}""", "max_tokens", "Invalid type for 'max_tokens': expected an integer, but got a boolean instead.")]
    [InlineData("""{"model":"m","max_tokens":-1,"messages":[]}""", "max_tokens", "Invalid 'max_tokens': integer below minimum value. Expected a value >= 0, but got -1 instead.")]
    [InlineData("""{"model":"m","max_tokens":-99999999999,"messages":[]}""", "max_tokens", "Invalid 'max_tokens': integer below minimum value. Expected a value >= 0, but got -99999999999 instead.")]
    [InlineData("""{"model":"m","max_completion_tokens":[],"messages":[]}""", "max_completion_tokens", "Invalid type for 'max_completion_tokens': expected an integer, but got an array instead.")]
    public void Scan_MaxTokensNotANonNegativeInteger_IsRefused(string body, string param, string message)
    {
        AssertError(body, message, param);
    }

    [Theory]
    [InlineData("""{"model":"m"}""", "Missing required parameter: 'messages'.")]
    [InlineData("""{"model":"m","messages":null}""", "Invalid type for 'messages': expected an array, but got null instead.")]
    [InlineData("""{"model":"m","messages":{"role":"user"}}""", "Invalid type for 'messages': expected an array, but got an object instead.")]
    [InlineData("""{"model":"m","messages":"hi"}""", "Invalid type for 'messages': expected an array, but got a string instead.")]
    public void Scan_ChatMessagesMissingOrNotArray_IsRefused(string body, string message)
    {
        AssertError(body, message, "messages");
    }

    [Fact]
    public void Scan_MessageNotAnObject_NamesItsIndex()
    {
        AssertError("""{"model":"m","messages":[{"role":"user","content":"a"},"b"]}""",
            "Invalid type for 'messages[1]': expected an object, but got a string instead.", "messages[1]");
    }

    [Theory]
    [InlineData("""{"model":"m","stream_options":{"include_usage":true},"messages":[]}""")]
    [InlineData("""{"model":"m","stream":false,"stream_options":{"include_usage":false},"messages":[]}""")]
    [InlineData("""{"stream_options":{"continuous_usage_stats":true},"model":"m","messages":[],"stream":null}""")]
    public void Scan_StreamOptionsWithoutStream_IsRefusedAsVllmWould(string body)
    {
        AssertError(body, "Stream options can only be defined when `stream=True`.", "stream_options");
    }

    [Theory]
    [InlineData("""{"model":"m","stream_options":null,"messages":[]}""")]
    [InlineData("""{"model":"m","stream_options":{},"messages":[]}""")]
    [InlineData("""{"model":"m","stream_options":{"include_usage":true},"messages":[],"stream":true}""")]
    public void Scan_StreamOptionsVllmAccepts_AreAccepted(string body)
    {
        Assert.Null(Scan(body).Error);
    }

    [Fact]
    public void Scan_StreamOptionsOfWrongType_IsRefused()
    {
        AssertError("""{"model":"m","stream":true,"stream_options":"yes","messages":[]}""",
            "Invalid type for 'stream_options': expected an object, but got a string instead.", "stream_options");
        AssertError("""{"model":"m","stream":true,"stream_options":{"include_usage":"yes"},"messages":[]}""",
            "Invalid type for 'stream_options.include_usage': expected a boolean, but got a string instead.", "stream_options.include_usage");
    }

    [Theory]
    [InlineData(EndpointKind.Completions, """{"model":"m"}""", "prompt")]
    [InlineData(EndpointKind.Completions, """{"model":"m","prompt":null}""", "prompt")]
    [InlineData(EndpointKind.Embeddings, """{"model":"m"}""", "input")]
    [InlineData(EndpointKind.Responses, """{"model":"m","instructions":"x"}""", "input")]
    [InlineData(EndpointKind.Responses, """{"model":"m","input":null}""", "input")]
    [InlineData(EndpointKind.Rerank, """{"model":"m","documents":["a"]}""", "query")]
    [InlineData(EndpointKind.Rerank, """{"model":"m","query":"q"}""", "documents")]
    public void Scan_RequiredInputMissing_NamesIt(EndpointKind kind, string body, string param)
    {
        var error = RequestScanner.Scan(Encoding.UTF8.GetBytes(body), kind).Error;

        Assert.NotNull(error);
        Assert.Equal($"Missing required parameter: '{param}'.", error.Message);
        Assert.Equal(param, error.Param);
    }

    [Theory]
    [InlineData(EndpointKind.Completions, """{"model":"m","prompt":5}""", "prompt")]
    [InlineData(EndpointKind.Embeddings, """{"model":"m","input":{"text":"x"}}""", "input")]
    [InlineData(EndpointKind.Responses, """{"model":"m","input":true}""", "input")]
    [InlineData(EndpointKind.Rerank, """{"model":"m","query":7,"documents":[]}""", "query")]
    [InlineData(EndpointKind.Rerank, """{"model":"m","query":"q","documents":"d"}""", "documents")]
    [InlineData(EndpointKind.Responses, """{"model":"m","input":"x","max_output_tokens":"9"}""", "max_output_tokens")]
    public void Scan_NumbersOrObjectsWhereStringsOrArraysExpected_AreRefused(EndpointKind kind, string body, string param)
    {
        var error = RequestScanner.Scan(Encoding.UTF8.GetBytes(body), kind).Error;

        Assert.NotNull(error);
        Assert.Equal(param, error.Param);
        Assert.Equal("invalid_type", error.Code);
    }

    [Fact]
    public void Scan_DeeplyNestedJunk_IsAParseErrorNotACrash()
    {
        var junk = new string('[', 100_000) + new string(']', 100_000);

        Assert.Same(GpuRouter.Requests.RequestScannerErrors.InvalidJson, Scan($$"""{"model":"m","messages":[],"junk":{{junk}}}""").Error);
    }

    [Fact]
    public void Scan_NestingWithinLimits_IsSkipped()
    {
        var nested = new string('[', 100) + new string(']', 100);

        Assert.Null(Scan($$"""{"model":"m","messages":[],"extra":{{nested}}}""").Error);
    }

    [Fact]
    public void ScanJson_InvalidUtf8InModel_IsAParseErrorNotAnException()
    {
        byte[] body = [.. "{\"model\":\""u8, 0xC3, 0x28, .. "\",\"messages\":[]}"u8];

        // The JSON pass alone; Scan refuses the body earlier (BodyTextTests).
        Assert.Same(GpuRouter.Requests.RequestScannerErrors.InvalidJson, RequestScanner.ScanJson(body, EndpointKind.ChatCompletions, null).Error);
    }

    [Fact]
    public void Scan_EveryTruncationOfARealBody_FailsCleanly()
    {
        var body = Encoding.UTF8.GetBytes(Bodies.SampleBodies.OwuiMultiTurn.Trim());

        for (var length = 0; length < body.Length; length++)
        {
            var facts = RequestScanner.Scan(body.AsSpan(0, length), EndpointKind.ChatCompletions);
            // A cut between the halves of a surrogate pair (or inside a UTF-8 character) is an encoding error first.
            if (facts.Error?.Code is "lone_surrogate" or "invalid_utf8") continue;
            Assert.Same(GpuRouter.Requests.RequestScannerErrors.InvalidJson, facts.Error);
        }
    }

    [Fact]
    public void Scan_RandomCorruption_NeverThrows()
    {
        var original = Encoding.UTF8.GetBytes(Bodies.SampleBodies.N8nResponses);
        var random = new Random(1234);

        for (var i = 0; i < 5000; i++)
        {
            var body = (byte[])original.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                body[random.Next(body.Length)] = (byte)random.Next(256);
            }

            foreach (var kind in Enum.GetValues<EndpointKind>())
            {
                var facts = RequestScanner.Scan(body, kind);
                Assert.True(facts.IsValid || facts.Error!.Message.Length > 0);
            }
        }
    }

    private static RequestFacts Scan(string body) =>
        RequestScanner.Scan(Encoding.UTF8.GetBytes(body), EndpointKind.ChatCompletions);

    private static void AssertError(string body, string message, string param)
    {
        var error = Scan(body).Error;
        Assert.NotNull(error);
        Assert.Equal(message, error.Message);
        Assert.Equal(param, error.Param);
    }
}

using System.Text;
using GpuRouter.Requests;

namespace Router.Tests.Requests;

/// <summary>The encoding rules every body must keep, checked before the JSON is read: invalid UTF-8 and lone surrogate escapes.</summary>
public sealed class BodyTextTests
{
    [Theory]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"plain ASCII"}]}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"Café, 日本語, 🙂 as raw UTF-8"}]}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"a pair \ud83d\ude42 and \uD83D\uDE42 and caf\u00e9"}]}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"an escaped backslash, then text: \\ud800"}]}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"three backslashes make a backslash and a pair: \\\ud83d\ude42"}]}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"not hex: \uZZZZ is the reader's to refuse"}]}""")]
    public void Check_CleanText_PassesUntouched(string body)
    {
        Assert.Null(BodyText.Check(Encoding.UTF8.GetBytes(body)));
    }

    [Theory]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi ##"}]}""", "messages[0].content")]
    [InlineData("""{"model":"m","messages":[{"role":"system","content":"x"},{"role":"user","content":[{"type":"text","text":"##"}]}]}""", "messages[1].content[0].text")]
    [InlineData("""{"model":"m","messages":[],"tools":[{"type":"function","function":{"name":"f","description":"a ## tool"}}]}""", "tools[0].function.description")]
    [InlineData("""{"model":"m","messages":[],"metadata":{"##":"in a key"}}""", "metadata")]
    [InlineData("""{"model":"m","input":["ok","bad ##"]}""", "input[1]")]
    public void Check_RawInvalidByte_NamesTheFieldAndTheOffset(string template, string field)
    {
        var body = WithBytes(template, 0xFF);
        var error = BodyText.Check(body);

        Assert.NotNull(error);
        Assert.Equal("invalid_utf8", error.Code);
        Assert.Equal(field, error.Param);
        Assert.Contains($"offset {Array.IndexOf(body, (byte)0xFF)}", error.Message, StringComparison.Ordinal);
        Assert.Contains("0xFF", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0xC0, 0xAF })]        // an overlong '/'
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]  // a surrogate encoded as UTF-8 (CESU-8, WTF-8)
    [InlineData(new byte[] { 0xE6, 0x97 })]        // a three-byte character cut after two
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 })] // beyond U+10FFFF
    [InlineData(new byte[] { 0x80 })]              // a continuation byte alone
    public void Check_MalformedSequences_AreInvalidUtf8(byte[] bad)
    {
        var error = BodyText.Check(WithBytes("""{"model":"m","prompt":"x##y"}""", bad));

        Assert.NotNull(error);
        Assert.Equal("invalid_utf8", error.Code);
        Assert.Equal("prompt", error.Param);
    }

    [Theory]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"high alone \ud800"}]}""", "messages[0].content")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"low alone \udc00 here"}]}""", "messages[0].content")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"reversed \ude42\ud83d"}]}""", "messages[0].content")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"two highs \ud83d\ud83d"}]}""", "messages[0].content")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"escaped then text \ud83d\\ude42"}]}""", "messages[0].content")]
    [InlineData("""{"model":"m","messages":[],"tools":[{"type":"function","function":{"name":"f","description":"\uDBFF"}}]}""", "tools[0].function.description")]
    [InlineData("""{"model":"m","messages":[],"\ud800":1}""", null)]
    public void Check_LoneSurrogateEscape_IsRefusedNamingTheField(string body, string? field)
    {
        var error = BodyText.Check(Encoding.UTF8.GetBytes(body));

        Assert.NotNull(error);
        Assert.Equal("lone_surrogate", error.Code);
        if (field is not null) Assert.Equal(field, error.Param);
        Assert.Contains("\\uD800-\\uDFFF must come as a high-low pair", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FirstLoneSurrogate_AtEveryOffset_AcrossTheVectorBlocks()
    {
        // Every alignment against the 32-byte blocks, the block tails and the scalar end.
        for (var at = 0; at < 100; at++)
        {
            string Around(string escape) => new string('a', at) + escape + new string('b', 100 - at);
            Assert.Equal(at, BodyText.FirstLoneSurrogate(Encoding.ASCII.GetBytes(Around("\\ud800"))));
            Assert.Equal(at + 12, BodyText.FirstLoneSurrogate(Encoding.ASCII.GetBytes(Around("\\ud83d\\ude42\\uDC00"))));
            Assert.Equal(-1, BodyText.FirstLoneSurrogate(Encoding.ASCII.GetBytes(Around("\\uD83D\\uDE42"))));
            Assert.Equal(-1, BodyText.FirstLoneSurrogate(Encoding.ASCII.GetBytes(Around("\\\\ud800"))));
            Assert.Equal(-1, BodyText.FirstLoneSurrogate(Encoding.ASCII.GetBytes(Around("\\ud7ff\\u00e9"))));
        }
    }

    [Fact]
    public void FirstLoneSurrogate_CutShortAtTheEnd_IsStillLone()
    {
        Assert.Equal(3, BodyText.FirstLoneSurrogate("abc\\ud83d\\ude"u8));
        Assert.Equal(-1, BodyText.FirstLoneSurrogate("abc\\ud8"u8));
    }

    [Fact]
    public void Check_SurrogateEscapeInAKey_NamesTheObject()
    {
        var error = BodyText.Check("""{"model":"m","metadata":{"\ud800":1}}"""u8);

        Assert.Equal("metadata", error?.Param);
    }

    [Fact]
    public void Check_JsonBrokenBeforeTheBadByte_StillRefusesWithoutAField()
    {
        var error = BodyText.Check(WithBytes("""{"model":"m",,"prompt":"##"}""", 0xFE));

        Assert.NotNull(error);
        Assert.Equal("invalid_utf8", error.Code);
        Assert.Null(error.Param);
    }

    [Fact]
    public void Scan_RefusesBadTextBeforeReadingTheJson()
    {
        // The model field would otherwise be the first thing read.
        var facts = RequestScanner.Scan(WithBytes("""{"model":"ll##ama","messages":[]}""", 0xFF), EndpointKind.ChatCompletions);

        Assert.Equal("invalid_utf8", facts.Error?.Code);
        Assert.Equal("model", facts.Error?.Param);
    }

    // Puts raw bytes where the template says ##.
    private static byte[] WithBytes(string template, params byte[] bytes)
    {
        var at = template.IndexOf("##", StringComparison.Ordinal);
        return [.. Encoding.UTF8.GetBytes(template[..at]), .. bytes, .. Encoding.UTF8.GetBytes(template[(at + 2)..])];
    }
}

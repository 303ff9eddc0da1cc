using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text;
using GpuRouter.Requests;
using Router.Tests.Requests.Bodies;

namespace Router.Tests.Requests;

public sealed class TokenEstimatorTests
{
    public static TheoryData<string> EnglishChatNames => Names(Llama3Samples.EnglishChat);

    public static TheoryData<string> TechnicalNames => Names(Llama3Samples.TechnicalEnglish);

    public static TheoryData<string> OtherScriptNames => Names(Llama3Samples.OtherScripts);

    [Theory]
    [MemberData(nameof(EnglishChatNames))]
    public void EnglishChat_WithinQuarterAboveLlama3AndNeverUnder(string name)
    {
        var (_, text, tokens) = Llama3Samples.EnglishChat.Single(s => s.Name == name);

        var estimate = Estimate(text);

        Assert.InRange(estimate, tokens, (int)Math.Ceiling(tokens * 1.3));
    }

    [Fact]
    public void EnglishChat_AllTogether_WithinTwentyFivePercent()
    {
        var real = Llama3Samples.EnglishChat.Sum(s => s.Tokens);
        var estimate = Llama3Samples.EnglishChat.Sum(s => Estimate(s.Text));

        Assert.InRange(estimate / (double)real, 1.0, 1.25);
    }

    [Theory]
    [MemberData(nameof(TechnicalNames))]
    public void TechnicalText_AtMostFifteenPercentUnder(string name)
    {
        var (_, text, tokens) = Llama3Samples.TechnicalEnglish.Single(s => s.Name == name);

        Assert.InRange(Estimate(text), (int)(tokens * 0.85), (int)Math.Ceiling(tokens * 1.35));
    }

    [Theory]
    [MemberData(nameof(OtherScriptNames))]
    public void OtherScripts_NeverUnderAndAtMostDouble(string name)
    {
        var (_, text, tokens) = Llama3Samples.OtherScripts.Single(s => s.Name == name);

        Assert.InRange(Estimate(text), tokens, tokens * 2);
    }

    [Theory]
    [MemberData(nameof(OtherScriptNames))]
    public void EscapedNonAscii_CountsLikeTheRawCharacters(string name)
    {
        var text = Llama3Samples.OtherScripts.Single(s => s.Name == name).Text;
        var escaped = RawJsonString(text, JavaScriptEncoder.Default);
        var raw = RawJsonString(text, JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        Assert.Contains(@"\u", Encoding.ASCII.GetString(escaped), StringComparison.Ordinal);

        Assert.Equal(TokenEstimator.CountJsonString(raw), TokenEstimator.CountJsonString(escaped));
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("abcd", 1)]
    [InlineData("abcde", 2)]
    [InlineData("1234567890 9876543210", 7)]
    [InlineData("你好", 2)]
    [InlineData("😀", 2)]
    [InlineData(@"\ud83d\ude00", 2)]
    [InlineData(@"\u4f60\u597d", 2)]
    [InlineData(@"line\nline", 3)]
    [InlineData(@"\ud83d", 2)]
    [InlineData(@"\""quoted\""", 3)]
    public void CountJsonString_KnownValues(string raw, int expected)
    {
        Assert.Equal(expected, TokenEstimator.CountJsonString(Encoding.UTF8.GetBytes(raw)));
    }

    [Fact]
    public void CountJsonString_BrokenUtf8_PricesEveryByteWithoutThrowing()
    {
        byte[] broken = [0x80, 0xBF, 0xC3, (byte)'a', 0xE4, 0xF0];

        Assert.InRange(TokenEstimator.CountJsonString(broken), 2, 6);
    }

    [Fact]
    public void CountJsonString_VectorAndScalarPathsAgree()
    {
        var text = string.Concat(Enumerable.Repeat("Route 66: the QUICK fox [ok]! ", 40));
        var bytes = Encoding.UTF8.GetBytes(text);

        for (var length = 0; length < 80; length++)
        {
            var letters = bytes.AsSpan(0, length).ToArray().Count(b => char.IsAsciiLetter((char)b) || b == ' ');
            var expected = ((4 * length) - letters + 11) / 12;
            Assert.Equal(expected, TokenEstimator.CountJsonString(bytes.AsSpan(0, length)));
        }
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(3, 1)]
    [InlineData(4, 2)]
    public void CountJsonFragment_OneTokenPerThreeBytes(long bytes, int expected)
    {
        Assert.Equal(expected, TokenEstimator.CountJsonFragment(bytes));
    }

    private static int Estimate(string text) => TokenEstimator.CountJsonString(RawJsonString(text, JavaScriptEncoder.Default));

    /// <summary>The bytes between the quotes of <paramref name="text"/> serialized as a JSON string.</summary>
    private static byte[] RawJsonString(string text, JavaScriptEncoder encoder)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(text, new JsonSerializerOptions { Encoder = encoder });
        return json[1..^1];
    }

    private static TheoryData<string> Names((string Name, string Text, int Tokens)[] samples) =>
        new(samples.Select(s => s.Name));
}

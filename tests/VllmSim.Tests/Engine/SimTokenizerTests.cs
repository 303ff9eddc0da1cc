using VllmSim.Engine;

namespace VllmSim.Tests.Engine;

public sealed class SimTokenizerTests
{
    [Theory]
    [InlineData("", 0)]
    [InlineData("a", 1)]
    [InlineData("hello", 2)]
    [InlineData("hello world", 4)]
    [InlineData("hi, you!", 5)]
    public void Count_SimpleText_CountsThreeBytePiecesOfWords(string text, int expected)
    {
        Assert.Equal(expected, SimTokenizer.Count(text));
    }

    [Theory]
    [InlineData("The quick brown fox jumps over the lazy dog.")]
    [InlineData("Grüße, 世界! tabs\tand\nnewlines  double  spaces")]
    [InlineData("  leading and trailing  ")]
    public void Encode_ThenDecode_GivesTheTextBack(string text)
    {
        var ids = SimTokenizer.Encode(text);

        Assert.Equal(SimTokenizer.Count(text), ids.Count);
        Assert.Equal(text, SimTokenizer.Decode([.. ids.Select(i => (long)i)], out _));
    }

    [Fact]
    public void Decode_IdThatIsNotOurs_ReturnsNullWithTheId()
    {
        Assert.Null(SimTokenizer.Decode([5], out var bad));
        Assert.Equal(5, bad);
    }

    [Fact]
    public void Count_LongEnglishText_StaysAboveBytesOverFour()
    {
        var text = string.Concat(Enumerable.Repeat("The router estimates tokens before it picks an instance. ", 50));

        Assert.True(SimTokenizer.Count(text) > text.Length / 4);
    }
}

using VllmSim.Engine;

namespace VllmSim.Tests.Engine;

public sealed class TextGeneratorTests
{
    [Fact]
    public void Text_SamePromptTwice_IsTheSame()
    {
        var seed = TextGenerator.SeedOf("prompt", null);

        Assert.Equal(TextGenerator.Text(seed, 0, 20), TextGenerator.Text(TextGenerator.SeedOf("prompt", null), 0, 20));
    }

    [Fact]
    public void Text_DifferentPromptsOrChoices_Differ()
    {
        var a = TextGenerator.SeedOf("prompt a", null);
        var b = TextGenerator.SeedOf("prompt b", null);

        Assert.NotEqual(TextGenerator.Text(a, 0, 20), TextGenerator.Text(b, 0, 20));
        Assert.NotEqual(TextGenerator.Text(a, 0, 20), TextGenerator.Text(a, 1, 20));
    }

    [Fact]
    public void Text_Tokens_AreWordsSeparatedBySpaces()
    {
        var words = TextGenerator.Text(TextGenerator.SeedOf("x", 7), 0, 12).Split(' ');

        Assert.Equal(12, words.Length);
        Assert.All(words, w => Assert.Matches("^[a-z]+$", w));
    }
}

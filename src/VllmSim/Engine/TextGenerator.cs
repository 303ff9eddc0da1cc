namespace VllmSim.Engine;

/// <summary>
/// The simulated model's output: token k of choice c is a word picked by a hash of the prompt,
/// the request's seed, c and k. The same prompt always yields the same text, so tests (here and
/// in the router) can predict content without running a model; different prompts differ.
/// </summary>
internal static class TextGenerator
{
    private static readonly string[] Words =
    [
        "the", "model", "router", "token", "stream", "queue", "light", "river", "stone", "cloud",
        "garden", "signal", "paper", "window", "engine", "forest", "silver", "harbor", "winter", "orbit",
        "copper", "meadow", "lantern", "circuit", "echo", "falcon", "glacier", "horizon", "island", "jasmine",
        "kernel", "ledger", "marble", "nebula", "ocean", "pixel", "quartz", "ripple", "summit", "tundra",
        "umbra", "velvet", "willow", "xenon", "yonder", "zephyr", "amber", "binary", "cedar", "delta",
        "ember", "fjord", "granite", "hollow", "ivory", "jungle", "kindle", "lotus", "mosaic", "nectar",
        "onyx", "prism", "quiet", "raven",
    ];

    private static readonly string[] SpacedWords = [.. Words.Select(w => " " + w)];

    /// <summary>The seed for one request: its rendered prompt and its optional "seed" field.</summary>
    public static ulong SeedOf(string prompt, long? requestSeed) =>
        StableHash.Of(prompt, requestSeed is { } s ? (ulong)s : 0);

    /// <summary>The text of output token <paramref name="index"/> of choice <paramref name="choice"/>.</summary>
    public static string Token(ulong seed, int choice, int index)
    {
        var pick = StableHash.Combine(StableHash.Combine(seed, (ulong)choice), (ulong)index);
        var word = (int)(pick % (ulong)Words.Length);
        return index == 0 ? Words[word] : SpacedWords[word];
    }

    /// <summary>The first <paramref name="count"/> tokens of a choice, joined.</summary>
    public static string Text(ulong seed, int choice, int count)
    {
        var builder = new System.Text.StringBuilder(count * 7);
        for (var k = 0; k < count; k++)
        {
            builder.Append(Token(seed, choice, k));
        }
        return builder.ToString();
    }
}

namespace VllmSim.Generation;

/// <summary>A validated generation request, ready for the engine.</summary>
internal sealed class GenerationJob
{
    /// <summary>The model name responses carry: the one the client asked for.</summary>
    public required string Model { get; init; }

    public required int PromptTokens { get; init; }

    public required IReadOnlyList<ChoicePlan> Choices { get; set; }

    public bool Stream { get; init; }

    public bool IncludeUsage { get; init; }

    /// <summary>Engine steps: the longest choice's length.</summary>
    public int Steps => Choices.Max(c => c.Length);

    public int CompletionTokens => Choices.Sum(c => c.Length);

    /// <summary>Runs on garbage weights (level-2 wake without reload): every choice writes "!" tokens.</summary>
    public void Garble() => Choices = [.. Choices.Select(c => c.AsGarbage())];
}

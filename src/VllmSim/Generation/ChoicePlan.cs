using VllmSim.Engine;

namespace VllmSim.Generation;

/// <summary>
/// What one choice will say, decided before the first token: its length and finish reason.
/// Tokens are produced on demand so a long stream holds no text it has already sent.
/// </summary>
/// <param name="Index">The choice's index in the response.</param>
/// <param name="Seed">Seed of its prompt (see <see cref="TextGenerator"/>).</param>
/// <param name="Sample">Which of the prompt's n samples it is.</param>
/// <param name="Length">Number of tokens it produces.</param>
/// <param name="FinishReason">"stop" or "length".</param>
/// <param name="LastToken">Text of the last token when a stop string cut it short.</param>
internal sealed record ChoicePlan(int Index, ulong Seed, int Sample, int Length, string FinishReason, string? LastToken)
{
    public string TokenAt(int position) =>
        position == Length - 1 && LastToken is not null ? LastToken : TextGenerator.Token(Seed, Sample, position);

    /// <summary>Plans a choice of up to <paramref name="maxTokens"/> tokens that ends at the first stop string.</summary>
    public static ChoicePlan Create(int index, ulong seed, int sample, int maxTokens, string finishWhenExhausted, IReadOnlyList<string> stops)
    {
        if (stops.Count == 0)
        {
            return new ChoicePlan(index, seed, sample, maxTokens, finishWhenExhausted, null);
        }
        var longestStop = stops.Max(s => s.Length);
        var text = new System.Text.StringBuilder();
        for (var k = 0; k < maxTokens; k++)
        {
            var tokenStart = text.Length;
            text.Append(TextGenerator.Token(seed, sample, k));
            var windowStart = Math.Max(0, tokenStart - longestStop + 1);
            var window = text.ToString(windowStart, text.Length - windowStart);
            var cut = -1;
            foreach (var stop in stops)
            {
                var at = window.IndexOf(stop, StringComparison.Ordinal);
                if (at >= 0 && (cut < 0 || at < cut))
                {
                    cut = at;
                }
            }
            if (cut >= 0)
            {
                var cutInText = windowStart + cut;
                var last = cutInText > tokenStart ? text.ToString(tokenStart, cutInText - tokenStart) : string.Empty;
                return new ChoicePlan(index, seed, sample, k + 1, "stop", last);
            }
        }
        return new ChoicePlan(index, seed, sample, maxTokens, finishWhenExhausted, null);
    }
}

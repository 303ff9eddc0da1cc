using VllmSim.Engine;
using VllmSim.Tools;

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
    /// <summary>What a model with zeroed weights writes: vLLM after a level-2 wake without reload_weights.</summary>
    public const string GarbageToken = "!";

    /// <summary>The tool call this choice writes, parsed into tool_calls; null for text.</summary>
    public ToolCallPlan? Tool { get; init; }

    /// <summary>Fixed token texts (a tool call's raw text) instead of generated words.</summary>
    public IReadOnlyList<string>? Scripted { get; init; }

    /// <summary>Every token is <see cref="GarbageToken"/>.</summary>
    public bool Garbled { get; init; }

    /// <summary>True when the choice produced its whole tool call (not cut by max_tokens, the context or an abort).</summary>
    public bool CompletesToolCall => Tool is not null && Length == Tool.RawTokens.Count;

    public string TokenAt(int position) =>
        Garbled ? GarbageToken
        : Scripted is not null ? Scripted[position]
        : position == Length - 1 && LastToken is not null ? LastToken : TextGenerator.Token(Seed, Sample, position);

    /// <summary>
    /// A choice that writes fixed tokens (a tool call, parsed or as raw text), cut to
    /// <paramref name="budget"/> tokens; cut short it finishes with "length".
    /// </summary>
    public static ChoicePlan ForScript(int index, IReadOnlyList<string> tokens, int budget, string finishWhenDone, ToolCallPlan? tool) =>
        new(index, 0, index, Math.Min(tokens.Count, budget), tokens.Count <= budget ? finishWhenDone : "length", null)
        {
            Tool = tool,
            Scripted = tokens,
        };

    /// <summary>The same choice written by a model whose weights are garbage: no tool call, only "!".</summary>
    public ChoicePlan AsGarbage() =>
        this with { Tool = null, Scripted = null, Garbled = true, LastToken = null, FinishReason = FinishReason == "length" ? "length" : "stop" };

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

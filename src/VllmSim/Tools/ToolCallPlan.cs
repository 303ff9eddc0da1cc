using VllmSim.Engine;

namespace VllmSim.Tools;

/// <summary>What a streamed tool call sends at one engine step.</summary>
internal enum ToolPieceKind
{
    /// <summary>Nothing (the parser holds back closing brackets and tags).</summary>
    None,

    /// <summary>The call's id, type and function name: the first delta of a call.</summary>
    Header,

    /// <summary>A piece of the arguments string.</summary>
    Arguments,
}

/// <summary>
/// One tool call the simulated model makes. Its raw text (in the parser's format) sets how many
/// tokens it takes; a stream sends the header at the first token and the arguments in pieces over
/// the following ones, as vLLM's streaming parsers do.
/// </summary>
internal sealed class ToolCallPlan
{
    private const int CharsPerPiece = 4;

    private readonly string[] pieces;

    public ToolCallPlan(string name, string arguments, string rawText, ToolChoiceMode mode)
    {
        Name = name;
        Arguments = arguments;
        Mode = mode;
        RawTokens = [.. SimTokenizer.Encode(rawText).Select(SimTokenizer.TokenText)];
        pieces = Split(arguments, Math.Max(1, Math.Min((arguments.Length + CharsPerPiece - 1) / CharsPerPiece, RawTokens.Count - 1)));
    }

    /// <summary>vLLM's random tool call id (<c>make_tool_call_id</c>).</summary>
    public string Id { get; } = "chatcmpl-tool-" + Guid.NewGuid().ToString("N");

    public string Name { get; }

    /// <summary>The arguments as a JSON string, as <c>function.arguments</c> carries them.</summary>
    public string Arguments { get; }

    public ToolChoiceMode Mode { get; }

    /// <summary>The raw output's tokens; their count is the call's completion tokens.</summary>
    public IReadOnlyList<string> RawTokens { get; }

    /// <summary>"tool_calls" for auto and required calls; a named call ends with "stop", as in OpenAI's API.</summary>
    public string FinishReason => Mode == ToolChoiceMode.Named ? "stop" : "tool_calls";

    /// <summary>The message content beside the calls: null from the auto parsers, "" for forced calls.</summary>
    public string? Content => Mode == ToolChoiceMode.Auto ? null : string.Empty;

    public (ToolPieceKind Kind, string Text) PieceAt(int position) =>
        position == 0 ? (ToolPieceKind.Header, Name)
        : position <= pieces.Length ? (ToolPieceKind.Arguments, pieces[position - 1])
        : (ToolPieceKind.None, string.Empty);

    // Near-equal pieces that never split a surrogate pair.
    private static string[] Split(string text, int count)
    {
        var result = new string[count];
        var start = 0;
        for (var i = 0; i < count; i++)
        {
            var end = i == count - 1 ? text.Length : Math.Max(start, (int)((long)text.Length * (i + 1) / count));
            if (end < text.Length && end > 0 && char.IsHighSurrogate(text[end - 1]))
            {
                end++;
            }
            result[i] = text[start..end];
            start = end;
        }
        return result;
    }
}

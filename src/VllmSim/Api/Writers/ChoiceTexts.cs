using System.Text;
using VllmSim.Generation;

namespace VllmSim.Api.Writers;

/// <summary>Collects each choice's text for a response written whole at the end, and which choices finished.</summary>
internal sealed class ChoiceTexts(GenerationJob job)
{
    private readonly StringBuilder[] texts = [.. job.Choices.Select(c => new StringBuilder(c.Length * 8))];
    private readonly bool[] finished = new bool[job.Choices.Count];

    public void Add(ChoicePlan choice, string text, bool last)
    {
        texts[choice.Index].Append(text);
        finished[choice.Index] |= last;
    }

    public string Of(ChoicePlan choice) => texts[choice.Index].ToString();

    /// <summary>The finish reason: the planned one, or "abort" for a choice a /sleep cut short.</summary>
    public string FinishOf(ChoicePlan choice) => finished[choice.Index] ? choice.FinishReason : "abort";

    /// <summary>The tool call to report: only one the model wrote to the end.</summary>
    public Tools.ToolCallPlan? CallOf(ChoicePlan choice) => finished[choice.Index] && choice.CompletesToolCall ? choice.Tool : null;
}

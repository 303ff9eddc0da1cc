using System.Text;
using VllmSim.Generation;

namespace VllmSim.Api.Writers;

/// <summary>Collects each choice's text for a response written whole at the end.</summary>
internal sealed class ChoiceTexts(GenerationJob job)
{
    private readonly StringBuilder[] texts = [.. job.Choices.Select(c => new StringBuilder(c.Length * 8))];

    public void Add(ChoicePlan choice, string text) => texts[choice.Index].Append(text);

    public string Of(ChoicePlan choice) => texts[choice.Index].ToString();
}

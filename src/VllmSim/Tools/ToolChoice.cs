namespace VllmSim.Tools;

/// <summary>What <c>tool_choice</c> asks for once vLLM's defaults are applied.</summary>
internal enum ToolChoiceMode
{
    /// <summary>No tools, or "none": the model answers with text.</summary>
    None,

    /// <summary>The model decides; vLLM parses its output with the --tool-call-parser.</summary>
    Auto,

    /// <summary>At least one call, forced by structured output (works without the tool flags).</summary>
    Required,

    /// <summary>A call of the named function, forced by structured output (works without the tool flags).</summary>
    Named,
}

/// <summary>The tools of a request and the choice among them.</summary>
internal sealed record ToolChoice(ToolChoiceMode Mode, IReadOnlyList<ToolSpec> Tools, string? Name = null)
{
    public static readonly ToolChoice NoTools = new(ToolChoiceMode.None, []);
}

using System.Text;

namespace VllmSim.Tools;

/// <summary>
/// The --tool-call-parser names vLLM registers, and the text each parser's models write a call in
/// (the simulated model writes it, so the completion-token count is the call's own length).
/// </summary>
internal static class ToolParsers
{
    // vLLM's registry (its tool-calling docs' list, plus parsers added since: functiongemma, gemma4, ...).
    public static readonly string[] Names =
    [
        "deepseek_v3", "deepseek_v31", "deepseek_v32", "ernie45", "functiongemma", "gemma4", "glm45", "glm47",
        "granite", "granite-20b-fc", "hermes", "hunyuan_a13b", "internlm", "jamba", "kimi_k2", "llama3_json",
        "llama4_json", "llama4_pythonic", "longcat", "minimax", "minimax_m2", "mistral", "olmo3", "openai",
        "phi4_mini_json", "pythonic", "qwen3_coder", "qwen3_xml", "seed_oss", "step3", "xlam",
    ];

    /// <summary>
    /// The line vLLM's start-up dies with for these flags, or null. --enable-auto-tool-choice without
    /// a parser fails argument validation; an unknown parser fails when the API server starts.
    /// </summary>
    public static string? StartupError(SimOptions options)
    {
        if (!options.EnableAutoToolChoice)
        {
            return null;
        }
        if (string.IsNullOrEmpty(options.ToolCallParser))
        {
            return "TypeError: Error: --enable-auto-tool-choice requires --tool-call-parser";
        }
        return Names.Contains(options.ToolCallParser, StringComparer.Ordinal)
            ? null
            : $"KeyError: 'invalid tool call parser: {options.ToolCallParser} (chose from {{ {string.Join(',', Names)} }})'";
    }

    /// <summary>The model's raw output for one call, in the format its parser reads.</summary>
    public static string RawCall(string? parser, ToolChoiceMode mode, string name, string arguments)
    {
        var text = new StringBuilder();
        // Structured output forces these shapes whatever the parser (vLLM's guided JSON for tool_choice).
        if (mode == ToolChoiceMode.Named)
        {
            return arguments;
        }
        if (mode == ToolChoiceMode.Required)
        {
            return Call(text.Append('['), name, "parameters", arguments).Append(']').ToString();
        }
        return parser switch
        {
            "llama3_json" or "llama4_json" => Call(text, name, "parameters", arguments).ToString(),
            "mistral" => Call(text.Append("[TOOL_CALLS]["), name, "arguments", arguments).Append(']').ToString(),
            "hermes" or "qwen3_xml" or "qwen3_coder" or "longcat" => Call(text.Append("<tool_call>\n"), name, "arguments", arguments).Append("\n</tool_call>").ToString(),
            _ => Call(text, name, "arguments", arguments).ToString(),
        };
    }

    private static StringBuilder Call(StringBuilder text, string name, string argumentsKey, string arguments)
    {
        text.Append("{\"name\": ");
        PythonJson.String(text, name);
        return text.Append(", \"").Append(argumentsKey).Append("\": ").Append(arguments).Append('}');
    }
}

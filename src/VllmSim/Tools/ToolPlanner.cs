using VllmSim.Api;

namespace VllmSim.Tools;

/// <summary>What the simulated model writes for a request that offers tools.</summary>
/// <param name="Call">The call, or null for a text answer.</param>
/// <param name="Parsed">True when vLLM turns the call into tool_calls / function_call items; false when
/// it reaches the client as the raw text the model wrote (auto without --enable-auto-tool-choice on /v1/responses).</param>
internal sealed record ToolDecision(ToolCallPlan? Call, bool Parsed)
{
    public static readonly ToolDecision Text = new(null, false);
}

/// <summary>
/// The simulated model's choice, deterministic: it calls a tool when the request forces one
/// (required, a named function) or, under "auto", when the conversation ends with a user message;
/// it answers tool results with text. The tool is the first offered one whose name appears in
/// the last user message, else the first offered; arguments are filled from its schema.
/// </summary>
internal static class ToolPlanner
{
    public const string AutoNeedsFlags = "\"auto\" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set";

    /// <param name="choice">The request's tools and tool_choice.</param>
    /// <param name="tail">The end of the conversation.</param>
    /// <param name="options">The server's flags.</param>
    /// <param name="responsesApi">/v1/responses, which (unlike chat) does not refuse "auto" without the flags.</param>
    /// <param name="decision">The outcome when no error.</param>
    public static ApiError? Decide(ToolChoice choice, ConversationTail tail, SimOptions options, bool responsesApi, out ToolDecision decision)
    {
        decision = ToolDecision.Text;
        var autoParsing = options.EnableAutoToolChoice && options.ToolCallParser is not null;
        if (choice.Mode == ToolChoiceMode.Auto && !autoParsing && !responsesApi)
        {
            return ApiError.BadRequest(AutoNeedsFlags);
        }
        if (choice.Mode == ToolChoiceMode.None || choice.Tools.Count == 0 || choice.Mode == ToolChoiceMode.Auto && tail.EndsWithToolResult)
        {
            return null;
        }
        var tool = choice.Mode == ToolChoiceMode.Named
            ? choice.Tools.First(t => t.Name == choice.Name)
            : choice.Tools.FirstOrDefault(t => tail.LastUserText.Contains(t.Name, StringComparison.OrdinalIgnoreCase)) ?? choice.Tools[0];
        var arguments = SchemaArguments.For(tool.Parameters);
        var raw = ToolParsers.RawCall(options.ToolCallParser, choice.Mode, tool.Name, arguments);
        decision = new ToolDecision(new ToolCallPlan(tool.Name, arguments, raw, choice.Mode), choice.Mode != ToolChoiceMode.Auto || autoParsing);
        return null;
    }
}

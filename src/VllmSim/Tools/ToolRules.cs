using System.Text.Json;
using VllmSim.Api;

namespace VllmSim.Tools;

/// <summary>
/// vLLM's checks of <c>tools</c> and <c>tool_choice</c> (its ChatCompletionRequest.check_tool_usage),
/// in its words: tools given without a choice mean "auto"; a choice without tools, an unknown
/// choice or a named function that is not offered is a 400; an empty tools list is a 400.
/// The Responses API's tools are flat ({"type":"function","name":...}); chat's nest a "function".
/// </summary>
internal static class ToolRules
{
    private const string CorrectUsage = "Correct usage: `{\"type\": \"function\", \"function\": {\"name\": \"my_function\"}}`";

    public static ApiError? Read(JsonElement tools, JsonElement choice, bool flat, out ToolChoice result)
    {
        result = ToolChoice.NoTools;
        var hasTools = tools.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null);
        var hasChoice = choice.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null);
        if (hasTools && tools.ValueKind == JsonValueKind.Array && tools.GetArrayLength() == 0)
        {
            return ApiError.BadRequest("`tools` must not be an empty array. Either provide at least one tool or omit the field entirely.", "tools");
        }
        if (!hasTools)
        {
            return hasChoice && !IsNone(choice) ? ApiError.BadRequest("When using `tool_choice`, `tools` must be set.", "tool_choice") : null;
        }
        if (ReadTools(tools, flat, out var specs) is { } bad)
        {
            return bad;
        }
        if (!hasChoice || choice.ValueKind == JsonValueKind.String && choice.GetString() == "auto")
        {
            result = new ToolChoice(ToolChoiceMode.Auto, specs);
            return null;
        }
        if (choice.ValueKind == JsonValueKind.String && choice.GetString() is "none" or "required")
        {
            result = new ToolChoice(choice.GetString() == "none" ? ToolChoiceMode.None : ToolChoiceMode.Required, specs);
            return null;
        }
        if (choice.ValueKind != JsonValueKind.Object)
        {
            return ApiError.BadRequest($"Invalid value for `tool_choice`: {Python(choice)}! Only named tools, \"none\", \"auto\" or \"required\" are supported.", "tool_choice");
        }
        if (NamedFunction(choice, flat, out var name) is { } invalid)
        {
            return invalid;
        }
        if (!specs.Any(s => s.Name == name))
        {
            return ApiError.BadRequest("The tool specified in `tool_choice` does not match any of the specified `tools`", "tool_choice");
        }
        result = new ToolChoice(ToolChoiceMode.Named, specs, name);
        return null;
    }

    private static ApiError? ReadTools(JsonElement tools, bool flat, out List<ToolSpec> specs)
    {
        specs = [];
        if (tools.ValueKind != JsonValueKind.Array)
        {
            return ApiError.BadRequest("`tools` must be a list of tools.", "tools");
        }
        var index = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            // Responses tools may be built-in ones (web_search, mcp, ...): only functions reach the model here.
            if (flat && tool.ValueKind == JsonValueKind.Object && tool.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() != "function")
            {
                index++;
                continue;
            }
            var function = flat ? tool : tool.ValueKind == JsonValueKind.Object && tool.TryGetProperty("function", out var f) ? f : default;
            if (function.ValueKind != JsonValueKind.Object || !function.TryGetProperty("name", out var name)
                || name.ValueKind != JsonValueKind.String || name.GetString()!.Length == 0)
            {
                var where = flat ? $"tools[{index}].name" : $"tools[{index}].function.name";
                return ApiError.BadRequest($"{where} is required: a tool is {(flat ? "{\"type\": \"function\", \"name\": ...}" : "{\"type\": \"function\", \"function\": {\"name\": ...}}")}.", "tools");
            }
            specs.Add(new ToolSpec(name.GetString()!, function.TryGetProperty("parameters", out var parameters) ? parameters.Clone() : default));
            index++;
        }
        return null;
    }

    private static ApiError? NamedFunction(JsonElement choice, bool flat, out string name)
    {
        name = string.Empty;
        var function = flat ? choice : choice.TryGetProperty("function", out var f) ? f : default;
        if (function.ValueKind != JsonValueKind.Object)
        {
            return ApiError.BadRequest($"Invalid value for `function`: `{Python(function)}` in `tool_choice`! {CorrectUsage}", "tool_choice");
        }
        if (!function.TryGetProperty("name", out var value))
        {
            return ApiError.BadRequest($"Expected field `name` in `function` in `tool_choice`! {CorrectUsage}", "tool_choice");
        }
        if (value.ValueKind != JsonValueKind.String || value.GetString()!.Length == 0)
        {
            return ApiError.BadRequest($"Invalid `name` in `function`: `{Python(value)}` in `tool_choice`! {CorrectUsage}", "tool_choice");
        }
        name = value.GetString()!;
        return null;
    }

    private static bool IsNone(JsonElement choice) => choice.ValueKind == JsonValueKind.String && choice.GetString() == "none";

    // How Python prints the value in vLLM's f-string: strings bare, absent values as None.
    private static string Python(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Undefined or JsonValueKind.Null => "None",
        JsonValueKind.True => "True",
        JsonValueKind.False => "False",
        _ => value.GetRawText(),
    };
}

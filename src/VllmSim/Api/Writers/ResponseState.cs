using System.Text.Json;

namespace VllmSim.Api.Writers;

/// <summary>The identity of one Responses API response, shared by all its events.</summary>
/// <param name="Tools">The request's tools, echoed in the response object (Undefined: none).</param>
/// <param name="ToolChoice">The request's tool_choice, echoed (Undefined: "auto").</param>
internal sealed record ResponseState(string Model, long CreatedAt, int? MaxOutputTokens, string? Instructions, JsonElement Tools = default, JsonElement ToolChoice = default)
{
    public string Id { get; } = JsonOut.NewId("resp_");

    public string MessageId { get; } = JsonOut.NewId("msg_");

    /// <summary>The function_call item as the response object lists it (vLLM: "fc_" + uuid).</summary>
    public string FunctionCallId { get; } = JsonOut.NewId("fc_");

    /// <summary>
    /// The function_call item as the stream's events carry it. vLLM parses the output twice (while
    /// streaming and for the final object), so the streamed ids differ from the completed ones.
    /// </summary>
    public string StreamedCallItemId { get; } = JsonOut.NewId(string.Empty);

    public string StreamedCallId { get; } = JsonOut.NewId("call_");
}

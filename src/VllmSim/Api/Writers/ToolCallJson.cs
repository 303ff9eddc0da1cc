using System.Text.Json;
using VllmSim.Tools;

namespace VllmSim.Api.Writers;

/// <summary>The tool call objects of chat completions, as vLLM's ToolCall and DeltaToolCall serialize.</summary>
internal static class ToolCallJson
{
    /// <summary><c>message.tool_calls</c>: empty for a text answer, as vLLM writes it.</summary>
    public static void WriteCalls(Utf8JsonWriter json, ToolCallPlan? call)
    {
        json.WriteStartArray("tool_calls");
        if (call is not null)
        {
            json.WriteStartObject();
            json.WriteString("id", call.Id);
            json.WriteString("type", "function");
            json.WriteStartObject("function");
            json.WriteString("name", call.Name);
            json.WriteString("arguments", call.Arguments);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    /// <summary>A stream's delta: the header (id, type, name) or a piece of the arguments.</summary>
    public static void WriteDelta(Utf8JsonWriter json, ToolCallPlan call, ToolPieceKind kind, string text)
    {
        json.WriteStartArray("tool_calls");
        json.WriteStartObject();
        if (kind == ToolPieceKind.Header)
        {
            json.WriteString("id", call.Id);
            json.WriteString("type", "function");
        }
        json.WriteNumber("index", 0);
        json.WriteStartObject("function");
        json.WriteString(kind == ToolPieceKind.Header ? "name" : "arguments", text);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndArray();
    }
}

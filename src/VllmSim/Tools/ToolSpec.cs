using System.Text.Json;

namespace VllmSim.Tools;

/// <summary>A function the client offered: its name and its parameters' JSON schema (Undefined when none).</summary>
internal sealed record ToolSpec(string Name, JsonElement Parameters);

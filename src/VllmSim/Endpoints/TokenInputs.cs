using System.Text.Json;
using VllmSim.Engine;

namespace VllmSim.Endpoints;

/// <summary>
/// The list forms of "prompt" and "input": strings, one list of token ids, or lists of them.
/// Token ids are counted as given and joined into a text that seeds the output.
/// </summary>
internal static class TokenInputs
{
    public static bool Read(JsonElement array, List<(string Text, int Tokens)> inputs)
    {
        if (array.GetArrayLength() == 0)
        {
            return true;
        }
        if (IsTokenList(array))
        {
            inputs.Add((array.GetRawText(), array.GetArrayLength()));
            return true;
        }
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String)
            {
                var text = item.GetString()!;
                inputs.Add((text, SimTokenizer.Count(text)));
            }
            else if (item.ValueKind == JsonValueKind.Array && item.GetArrayLength() > 0 && IsTokenList(item))
            {
                inputs.Add((item.GetRawText(), item.GetArrayLength()));
            }
            else
            {
                return false;
            }
        }
        return true;
    }

    private static bool IsTokenList(JsonElement array)
    {
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out var id) || id < 0)
            {
                return false;
            }
        }
        return true;
    }
}

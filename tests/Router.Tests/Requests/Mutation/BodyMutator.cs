using System.Text;
using System.Text.Json.Nodes;

namespace Router.Tests.Requests.Mutation;

/// <summary>
/// Turns a valid request body into a broken one, reproducibly from a seed: cut short, bytes
/// flipped, invalid UTF-8 or a lone surrogate escape inside a string, a value of the wrong type, a
/// number too large (or negative, or fractional), nesting too deep, a key given twice, a field
/// left out, or a model of another kind or none at all. Some bodies pass unchanged, as controls.
/// </summary>
internal sealed class BodyMutator(int seed)
{
    public static readonly string[] Kinds =
    [
        "unchanged", "truncated", "bytes_flipped", "invalid_utf8", "lone_surrogate", "wrong_type",
        "huge_number", "deep_nesting", "duplicate_key", "missing_field", "other_model",
    ];

    private static readonly byte[][] BadUtf8 = [[0xFF], [0xC0, 0xAF], [0x80], [0xED, 0xA0, 0x80], [0xE6, 0x97], [0xF4, 0x90, 0x80, 0x80]];
    private static readonly string[] Surrogates = ["\\ud800", "\\udfff", "\\uDBFF", "\\udc00x", "\\ud83d\\ud83d"];
    private static readonly string[] OtherTypes = ["42", "\"text\"", "true", "null", "[]", "{}", "[1,\"a\",null]", "{\"a\":{\"b\":[]}}", "-0.5"];
    private static readonly string[] Numbers = ["1e400", "99999999999999999999999", "-1", "1.5", "-0", "1e-400", "2147483648", "-2147483649"];
    private static readonly int[] Depths = [64, 100, 127, 129, 200, 5000];
    private static readonly string[] Models = ["\"llama\"", "\"bge-m3\"", "\"reranker\"", "\"no-such-model\"", "\"\"", "5"];
    private readonly Random _random = new(seed);

    public (string Kind, byte[] Body) Next(string valid)
    {
        var kind = Kinds[_random.Next(Kinds.Length)];
        return (kind, Apply(kind, valid));
    }

    private byte[] Apply(string kind, string valid)
    {
        var bytes = Encoding.UTF8.GetBytes(valid);
        return kind switch
        {
            "truncated" => bytes[.._random.Next(bytes.Length)],
            "bytes_flipped" => Flip(bytes),
            "invalid_utf8" => InsertInString(bytes, BadUtf8[_random.Next(BadUtf8.Length)]),
            "lone_surrogate" => InsertInString(bytes, Encoding.ASCII.GetBytes(Pick(Surrogates))),
            "wrong_type" => Replace(valid, Pick(OtherTypes)),
            "huge_number" => Replace(valid, Pick(Numbers)),
            "deep_nesting" => Replace(valid, Nested(Depths[_random.Next(Depths.Length)])),
            "duplicate_key" => Duplicate(valid),
            "missing_field" => Remove(valid),
            "other_model" => Encoding.UTF8.GetBytes(valid.Replace("\"model\":\"llama\"", "\"model\":" + Pick(Models), StringComparison.Ordinal)
                .Replace("\"model\":\"bge-m3\"", "\"model\":" + Pick(Models), StringComparison.Ordinal)
                .Replace("\"model\":\"reranker\"", "\"model\":" + Pick(Models), StringComparison.Ordinal)),
            _ => bytes,
        };
    }

    private byte[] Flip(byte[] bytes)
    {
        var copy = (byte[])bytes.Clone();
        for (var i = _random.Next(1, 4); i > 0; i--) copy[_random.Next(copy.Length)] = (byte)_random.Next(256);
        return copy;
    }

    // After a quote: inside a string when the quote opens one, which is about half the time.
    private byte[] InsertInString(byte[] bytes, byte[] insert)
    {
        var quotes = Enumerable.Range(0, bytes.Length).Where(i => bytes[i] == '"').ToList();
        var at = quotes[_random.Next(quotes.Count)] + 1;
        return [.. bytes[..at], .. insert, .. bytes[at..]];
    }

    private byte[] Replace(string valid, string replacement)
    {
        var root = JsonNode.Parse(valid)!;
        var (parent, key) = PickLocation(root);
        const string Marker = "__mutation__";
        if (parent is JsonObject o) o[key.ToString()!] = Marker;
        else ((JsonArray)parent)[(int)key] = Marker;
        return Encoding.UTF8.GetBytes(root.ToJsonString().Replace($"\"{Marker}\"", replacement, StringComparison.Ordinal));
    }

    private byte[] Remove(string valid)
    {
        var root = JsonNode.Parse(valid)!;
        var (parent, key) = PickLocation(root);
        if (parent is JsonObject o) o.Remove(key.ToString()!);
        else ((JsonArray)parent).RemoveAt((int)key);
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    private byte[] Duplicate(string valid)
    {
        var root = JsonNode.Parse(valid)!.AsObject();
        var names = root.Select(p => p.Key).ToList();
        var name = names[_random.Next(names.Count)];
        var value = _random.Next(2) == 0 ? root[name]?.ToJsonString() ?? "null" : Pick(OtherTypes);
        // Before the original or after it: the first and the last occurrence both get tested as the one that counts.
        var text = root.ToJsonString();
        return Encoding.UTF8.GetBytes(_random.Next(2) == 0
            ? "{" + $"\"{name}\":{value}," + text[1..]
            : text[..^1] + $",\"{name}\":{value}" + "}");
    }

    private static string Nested(int depth) => new string('[', depth) + new string(']', depth);

    // Any value in the document, the top-level fields as likely as anything deeper.
    private (JsonNode Parent, object Key) PickLocation(JsonNode root)
    {
        var locations = new List<(JsonNode, object)>();
        Collect(root, locations);
        return locations[_random.Next(locations.Count)];
    }

    private static void Collect(JsonNode node, List<(JsonNode, object)> into)
    {
        if (node is JsonObject o)
        {
            foreach (var (name, child) in o)
            {
                into.Add((o, name));
                if (child is not null) Collect(child, into);
            }
        }
        else if (node is JsonArray a)
        {
            for (var i = 0; i < a.Count; i++)
            {
                into.Add((a, i));
                if (a[i] is { } child) Collect(child, into);
            }
        }
    }

    private string Pick(string[] values) => values[_random.Next(values.Length)];
}

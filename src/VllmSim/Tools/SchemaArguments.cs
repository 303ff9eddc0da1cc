using System.Text;
using System.Text.Json;

namespace VllmSim.Tools;

/// <summary>
/// The arguments the simulated model passes to a tool: every required property of the JSON schema
/// with a value of its type (an enum's first member, a const or default where the schema gives one,
/// numbers at their minimum, one array item or minItems of them, nested objects alike). Optional
/// properties are left out, as a terse model leaves them. Deterministic: same schema, same text.
/// </summary>
internal static class SchemaArguments
{
    // A self-referencing schema ($ref to itself) stops here with null.
    private const int MaxDepth = 12;

    public static string For(JsonElement parameters)
    {
        var text = new StringBuilder();
        if (parameters.ValueKind == JsonValueKind.Object)
        {
            Write(text, parameters, parameters, "value", 0);
        }
        else
        {
            text.Append("{}");
        }
        return text.ToString();
    }

    private static void Write(StringBuilder text, JsonElement root, JsonElement schema, string name, int depth)
    {
        schema = Resolve(root, schema);
        if (depth > MaxDepth || schema.ValueKind != JsonValueKind.Object)
        {
            text.Append(depth == 0 ? "{}" : "null");
            return;
        }
        foreach (var given in (string[])["const", "default"])
        {
            if (schema.TryGetProperty(given, out var value))
            {
                PythonJson.Value(text, value);
                return;
            }
        }
        if (schema.TryGetProperty("enum", out var members) && members.ValueKind == JsonValueKind.Array && members.GetArrayLength() > 0)
        {
            PythonJson.Value(text, members[0]);
            return;
        }
        foreach (var union in (string[])["anyOf", "oneOf", "allOf"])
        {
            if (schema.TryGetProperty(union, out var options) && options.ValueKind == JsonValueKind.Array && options.GetArrayLength() > 0)
            {
                Write(text, root, FirstNotNull(root, options), name, depth + 1);
                return;
            }
        }
        switch (TypeOf(schema))
        {
            case "object": Object(text, root, schema, depth); break;
            case "array": Array(text, root, schema, name, depth); break;
            case "integer": text.Append(PythonJson.Number(Math.Ceiling(Bounded(schema)))); break;
            case "number": text.Append(PythonJson.Number(Bounded(schema))); break;
            case "boolean": text.Append("true"); break;
            case "null": text.Append("null"); break;
            default: PythonJson.String(text, StringValue(schema, name)); break;
        }
    }

    private static void Object(StringBuilder text, JsonElement root, JsonElement schema, int depth)
    {
        text.Append('{');
        if (schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array
            && schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
        {
            var first = true;
            foreach (var entry in required.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.String || !properties.TryGetProperty(entry.GetString()!, out var property))
                {
                    continue;
                }
                text.Append(first ? "" : ", ");
                PythonJson.String(text, entry.GetString()!);
                text.Append(": ");
                Write(text, root, property, entry.GetString()!, depth + 1);
                first = false;
            }
        }
        text.Append('}');
    }

    private static void Array(StringBuilder text, JsonElement root, JsonElement schema, string name, int depth)
    {
        var count = schema.TryGetProperty("minItems", out var min) && min.TryGetInt32(out var n) ? Math.Clamp(n, 1, 16) : 1;
        schema.TryGetProperty("items", out var items);
        text.Append('[');
        for (var i = 0; i < count; i++)
        {
            text.Append(i == 0 ? "" : ", ");
            Write(text, root, items.ValueKind == JsonValueKind.Object ? items : default, name, depth + 1);
        }
        text.Append(']');
    }

    // "type" may be a list such as ["string", "null"]: the first that is not "null" counts.
    private static string TypeOf(JsonElement schema)
    {
        if (schema.TryGetProperty("type", out var type))
        {
            if (type.ValueKind == JsonValueKind.String)
            {
                return type.GetString()!;
            }
            if (type.ValueKind == JsonValueKind.Array)
            {
                var named = type.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!).ToList();
                return named.FirstOrDefault(t => t != "null") ?? named.FirstOrDefault() ?? "string";
            }
        }
        return schema.TryGetProperty("properties", out _) ? "object" : schema.TryGetProperty("items", out _) ? "array" : "string";
    }

    private static double Bounded(JsonElement schema)
    {
        double? Read(string key) => schema.TryGetProperty(key, out var v) && v.TryGetDouble(out var d) ? d : null;
        var value = Read("minimum") ?? (Read("exclusiveMinimum") + 1) ?? 1;
        var maximum = Read("maximum") ?? (Read("exclusiveMaximum") - 1);
        return maximum is { } max && value > max ? max : value;
    }

    private static string StringValue(JsonElement schema, string name)
    {
        var format = schema.TryGetProperty("format", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
        return format switch
        {
            "date-time" => "2025-01-01T12:00:00Z",
            "date" => "2025-01-01",
            "time" => "12:00:00",
            "email" => "user@example.com",
            "uri" or "url" => "https://example.com/",
            "uuid" => "00000000-0000-4000-8000-000000000000",
            _ => "sim " + name,
        };
    }

    private static JsonElement FirstNotNull(JsonElement root, JsonElement options) =>
        options.EnumerateArray().FirstOrDefault(o => TypeOf(Resolve(root, o)) != "null") is { ValueKind: JsonValueKind.Object } found
            ? found
            : options[0];

    // "#/$defs/Name" and "#/definitions/Name": pointers into the same parameters schema.
    private static JsonElement Resolve(JsonElement root, JsonElement schema)
    {
        for (var hops = 0; hops < MaxDepth && schema.ValueKind == JsonValueKind.Object
            && schema.TryGetProperty("$ref", out var reference) && reference.ValueKind == JsonValueKind.String; hops++)
        {
            var target = root;
            foreach (var part in reference.GetString()!.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                if (target.ValueKind != JsonValueKind.Object || !target.TryGetProperty(part.Replace("~1", "/").Replace("~0", "~"), out target))
                {
                    return default;
                }
            }
            schema = target;
        }
        return schema;
    }
}

using System.Text;
using System.Text.Json;

namespace GpuRouter.Requests;

/// <summary>
/// Names the field that holds a byte offset, e.g. <c>messages[1].content</c> or
/// <c>tools[0].function.description</c> (for an offset inside a key, the object that has the
/// key), by walking the JSON up to it. Only for error messages:
/// it allocates, and it gives up (null) where the JSON breaks before the offset.
/// </summary>
internal static class JsonFieldPath
{
    public static string? At(ReadOnlySpan<byte> body, int offset)
    {
        var frames = new List<Frame>();
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 128 });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
                {
                    frames.RemoveAt(frames.Count - 1);
                    continue;
                }

                if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    // A key that holds the offset: name the object it belongs to.
                    frames[^1] = frames[^1] with { Name = null };
                    if (Holds(ref reader, offset)) return Render(frames);
                    frames[^1] = frames[^1] with { Name = Encoding.UTF8.GetString(reader.ValueSpan) };
                    continue;
                }

                if (frames.Count > 0 && frames[^1].IsArray)
                {
                    frames[^1] = frames[^1] with { Index = frames[^1].Index + 1 };
                }

                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    frames.Add(new Frame(reader.TokenType == JsonTokenType.StartArray, null, -1));
                }
                else if (Holds(ref reader, offset))
                {
                    return Render(frames);
                }
            }
        }
        catch (JsonException)
        {
            // The JSON breaks before the offset: no field to name.
        }

        return null;
    }

    private static bool Holds(ref Utf8JsonReader reader, int offset) =>
        offset >= reader.TokenStartIndex && offset < reader.BytesConsumed;

    private static string? Render(List<Frame> frames)
    {
        var path = new StringBuilder();
        foreach (var frame in frames)
        {
            if (frame.IsArray) path.Append('[').Append(frame.Index).Append(']');
            else if (frame.Name is not null) path.Append(path.Length > 0 ? "." : "").Append(frame.Name);
        }

        return path.Length > 0 ? path.ToString() : null;
    }

    private readonly record struct Frame(bool IsArray, string? Name, int Index);
}

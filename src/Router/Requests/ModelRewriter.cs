using System.Text;
using System.Text.Json;

namespace GpuRouter.Requests;

/// <summary>
/// For the night fallback: the backend only answers to its own served name, so the body's
/// top-level "model" value is replaced; every other byte is forwarded as the client sent it.
/// </summary>
internal static class ModelRewriter
{
    public static byte[] Replace(ReadOnlySpan<byte> body, string model)
    {
        var reader = new Utf8JsonReader(body);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("model"u8))
            {
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                var end = (int)reader.BytesConsumed;
                var replacement = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(model));
                var result = new byte[start + replacement.Length + (body.Length - end)];
                body[..start].CopyTo(result);
                replacement.CopyTo(result, start);
                body[end..].CopyTo(result.AsSpan(start + replacement.Length));
                return result;
            }
            if (reader.CurrentDepth >= 1 && reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) reader.Skip();
        }
        return body.ToArray();
    }
}

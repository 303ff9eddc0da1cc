using System.Text.Json;
using System.Text.Json.Serialization;

namespace GpuRouter.Docker;

/// <summary>
/// Docker encodes a set of ports (<c>ExposedPorts</c>) as an object whose keys are the ports and
/// whose values are empty objects; the models expose it as a plain list.
/// </summary>
internal sealed class DockerPortSetConverter : JsonConverter<IReadOnlyList<string>>
{
    public override IReadOnlyList<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"Expected an object of ports, got {reader.TokenType}.");
        }

        var ports = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            ports.Add(reader.GetString() ?? "");
            reader.Read();
            reader.Skip();
        }

        return ports;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var port in value)
        {
            writer.WriteStartObject(port);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }
}

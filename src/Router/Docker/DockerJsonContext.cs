using System.Text.Json.Serialization;

namespace GpuRouter.Docker;

/// <summary>
/// Source-generated serialization for every Docker wire type. Names are taken as declared
/// (Docker's PascalCase, with attributes where Docker differs); nulls are not written so the
/// daemon applies its own defaults.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ContainerCreateSpec))]
[JsonSerializable(typeof(ContainerCreateResponse))]
[JsonSerializable(typeof(ContainerInspect))]
[JsonSerializable(typeof(List<ContainerSummary>))]
[JsonSerializable(typeof(ContainerWaitResponse))]
[JsonSerializable(typeof(DockerErrorResponse))]
[JsonSerializable(typeof(DockerEventMessage))]
[JsonSerializable(typeof(DockerVersionResponse))]
[JsonSerializable(typeof(ImageInspect))]
[JsonSerializable(typeof(Dictionary<string, List<string>>))]
internal sealed partial class DockerJsonContext : JsonSerializerContext;

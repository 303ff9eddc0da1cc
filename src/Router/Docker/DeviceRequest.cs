using System.Text.Json.Serialization;

namespace GpuRouter.Docker;

/// <summary>
/// A device request (<c>--gpus</c>): driver <c>nvidia</c>, the GPU indexes in
/// <see cref="DeviceIds"/> and capabilities <c>[["gpu"]]</c>. Docker takes either a count or
/// explicit ids, so <see cref="Count"/> stays null when ids are given.
/// </summary>
public sealed record DeviceRequest
{
    public string? Driver { get; init; }

    public int? Count { get; init; }

    [JsonPropertyName("DeviceIDs")]
    public IReadOnlyList<string>? DeviceIds { get; init; }

    /// <summary>An OR of ANDs: <c>[["gpu"]]</c> asks for any device with the gpu capability.</summary>
    public IReadOnlyList<IReadOnlyList<string>>? Capabilities { get; init; }

    public IReadOnlyDictionary<string, string>? Options { get; init; }
}

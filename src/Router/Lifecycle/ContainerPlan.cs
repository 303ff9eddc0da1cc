using Docker.DotNet.Models;

namespace GpuRouter.Lifecycle;

/// <summary>
/// A container to create for an instance, the hash that identifies its spec, and where it will
/// answer: known up front for a host port, null on a bridge network (see <see cref="ContainerAddress"/>).
/// </summary>
/// <param name="ApiKey">The container's <c>--api-key</c> (another host), null on the local engine; never logged.</param>
internal sealed record ContainerPlan(CreateContainerParameters Spec, string SpecHash, Uri? BaseAddress, int? Port, string? ApiKey = null);

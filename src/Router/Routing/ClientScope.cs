using System.Collections.Frozen;

namespace GpuRouter.Routing;

/// <summary>A key's <c>models</c> scope, expanded at start-up: what it may send and its /v1/models bodies.</summary>
/// <param name="Allowed">The names the client may send.</param>
/// <param name="Ordered">The same in config order, for messages.</param>
internal sealed record ClientScope(FrozenSet<string> Allowed, IReadOnlyList<string> Ordered, byte[] DayListing, byte[] NightListing);

namespace GpuRouter.Routing;

/// <summary>
/// The <c>routing</c> section as the request path uses it: which GPU a request goes to, how long
/// it may queue, how long a stream may stay silent. The section's start and stop timings are
/// Lifecycle's (<see cref="Lifecycle.LifecycleOptions"/>).
/// </summary>
/// <param name="LongContextGpu">The GPU with role long-context, else the interactive one.</param>
/// <param name="DefaultTtl">A model's <c>ttl</c> where it sets none.</param>
/// <param name="NightFallback"><c>schedule.nightFallback</c>: the model served at night in place of a day model.</param>
public sealed record RoutingOptions(
    int LongContextTokens,
    int LongContextGpu,
    int InteractiveGpu,
    int BatchGpu,
    TimeSpan QueueTimeout,
    TimeSpan StreamIdleTimeout,
    TimeSpan DefaultTtl,
    bool LoadingMessages,
    string? NightFallback);

using System.Collections.Concurrent;
using GpuRouter.Lifecycle;

namespace GpuRouter.Hosting;

/// <summary>
/// /ready is 503 until every registered condition (config loaded, Docker answers, adoption
/// done, ...) has been met. Components register a condition at start-up and mark it later.
/// </summary>
public sealed class Readiness : IReadinessConditions
{
    private readonly ConcurrentDictionary<string, string> _pending = new(StringComparer.Ordinal);

    public void Require(string condition, string waitingFor) => _pending[condition] = waitingFor;

    public void Met(string condition) => _pending.TryRemove(condition, out _);

    /// <summary>Marks a condition unmet again (e.g. Docker stopped answering).</summary>
    public void Lost(string condition, string reason) => _pending[condition] = reason;

    public bool IsReady => _pending.IsEmpty;

    public IReadOnlyDictionary<string, string> Pending => _pending;
}

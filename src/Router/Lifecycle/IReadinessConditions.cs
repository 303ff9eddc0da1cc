namespace GpuRouter.Lifecycle;

/// <summary>
/// The conditions the lifecycle holds /ready on (adoption done, Docker answering). The host's
/// readiness implements it; the lifecycle only says what it waits for and when that is met.
/// </summary>
internal interface IReadinessConditions
{
    void Require(string condition, string waitingFor);

    void Met(string condition);

    /// <summary>Marks a condition unmet again (e.g. Docker stopped answering).</summary>
    void Lost(string condition, string reason);
}

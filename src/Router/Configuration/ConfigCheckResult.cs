namespace GpuRouter.Configuration;

/// <param name="Errors">Each naming its key or instance; any error stops start-up.</param>
/// <param name="Notes">One line each, logged at start-up (a check skipped and why).</param>
public sealed record ConfigCheckResult(IReadOnlyList<string> Errors, IReadOnlyList<string> Notes);

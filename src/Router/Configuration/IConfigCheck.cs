namespace GpuRouter.Configuration;

/// <summary>
/// A check that needs more than the file (the model files in the Hugging Face cache, the GPUs'
/// memory). It runs on the settings valid so far; its errors are reported with the file's own,
/// all at once, at start-up and by <c>gpu-router check-config</c>.
/// </summary>
public interface IConfigCheck
{
    ConfigCheckResult Check(RouterSettings settings);
}

/// <param name="Errors">Each naming its key or instance; any error stops start-up.</param>
/// <param name="Notes">One line each, logged at start-up (a check skipped and why).</param>
public sealed record ConfigCheckResult(IReadOnlyList<string> Errors, IReadOnlyList<string> Notes);

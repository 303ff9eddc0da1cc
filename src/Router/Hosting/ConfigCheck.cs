using GpuRouter.Configuration;

namespace GpuRouter.Hosting;

/// <summary>
/// A check that needs more than the file (the model files in the Hugging Face cache, the GPUs'
/// memory). It runs on the config valid so far; its errors are reported with the file's own,
/// all at once, at start-up and by <c>gpu-router check-config</c>.
/// </summary>
internal delegate ConfigCheckResult ConfigCheck(RouterConfig config);

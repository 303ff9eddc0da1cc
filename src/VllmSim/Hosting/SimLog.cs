using Microsoft.Extensions.Logging;

namespace VllmSim.Hosting;

/// <summary>Every log line of the simulator, with stable event ids. Nothing here runs per token.</summary>
internal static partial class SimLog
{
    // vLLM's model runner says "Starting to load model X..." when the weights start loading.
    [LoggerMessage(1, LogLevel.Information, "Starting to load model {Model}... (simulated: the port opens in {Seconds} s)")]
    public static partial void Loading(ILogger logger, string model, double seconds);

    // vLLM's API server says "Starting vLLM API server 0 on http://0.0.0.0:8000" once its socket is bound.
    [LoggerMessage(2, LogLevel.Information, "Starting vLLM API server (simulator) on {Address}, serving models: {Models}")]
    public static partial void Listening(ILogger logger, string address, string models);

    [LoggerMessage(3, LogLevel.Warning, "Ignoring {Flag}: the simulator accepts it as vLLM does but does not model it")]
    public static partial void IgnoredFlag(ILogger logger, string flag);

    [LoggerMessage(4, LogLevel.Error, "EngineCore encountered a fatal error after {Requests} requests (--exit-after-requests); exiting with code {ExitCode}")]
    public static partial void EngineDead(ILogger logger, long requests, int exitCode);

    [LoggerMessage(5, LogLevel.Error, "Unexpected error serving {Path}")]
    public static partial void Unexpected(ILogger logger, string path, Exception exception);

    [LoggerMessage(6, LogLevel.Debug, "Client went away during {Path}; generation stopped")]
    public static partial void ClientGone(ILogger logger, string path);

    // vLLM's executor: "It took %.6f seconds to fall asleep." once the weights are offloaded.
    [LoggerMessage(7, LogLevel.Information, "It took {Seconds:F6} seconds to fall asleep.")]
    public static partial void FellAsleep(ILogger logger, double seconds);

    [LoggerMessage(12, LogLevel.Information, "It took {Seconds:F6} seconds to wake up tags {Tags}.")]
    public static partial void WokeUp(ILogger logger, double seconds, string tags);

    // vLLM's /wake_up route logs the tags it was given before it wakes the engine.
    [LoggerMessage(13, LogLevel.Information, "wake up the engine with tags: {Tags}")]
    public static partial void WakeRequested(ILogger logger, string tags);

    [LoggerMessage(14, LogLevel.Warning, "Executor is already sleeping.")]
    public static partial void AlreadySleeping(ILogger logger);

    [LoggerMessage(15, LogLevel.Warning, "{Warning}")]
    public static partial void NothingToWake(ILogger logger, string warning);

    [LoggerMessage(16, LogLevel.Error, "Wake-up failed: CUDA error: out of memory (simulated: --wake-fault error); the engine stays asleep")]
    public static partial void WakeFailed(ILogger logger);

    [LoggerMessage(18, LogLevel.Warning, "SECURITY WARNING: Development endpoints are enabled! This should NOT be used in production!")]
    public static partial void DevModeOn(ILogger logger);

    [LoggerMessage(17, LogLevel.Information, "Reloading weights inplace...")]
    public static partial void ReloadingWeights(ILogger logger);

    [LoggerMessage(8, LogLevel.Information, "Shutting down: open requests end now")]
    public static partial void ShuttingDown(ILogger logger);

    [LoggerMessage(9, LogLevel.Warning, "With `vllm serve`, you should provide the model as a positional argument or in a config file instead of via the `--model` option. The `--model` option will be removed in a future version.")]
    public static partial void ModelFlagDeprecated(ILogger logger);

    [LoggerMessage(10, LogLevel.Information, "{Summary}")]
    public static partial void MemoryProfile(ILogger logger, string summary);

    [LoggerMessage(11, LogLevel.Error, "EngineCore failed to start.")]
    public static partial void EngineCoreFailed(ILogger logger);

    // vLLM prints its non-default arguments at start-up, --api-key among them: whoever shows a
    // container's log lines must keep the key out of sight.
    [LoggerMessage(19, LogLevel.Information, "non-default args: {{'api_key': ['{ApiKey}']}}")]
    public static partial void NonDefaultArgs(ILogger logger, string apiKey);
}

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

    [LoggerMessage(7, LogLevel.Information, "Engine is {State}")]
    public static partial void SleepState(ILogger logger, string state);

    [LoggerMessage(8, LogLevel.Information, "Shutting down: open requests end now")]
    public static partial void ShuttingDown(ILogger logger);

    [LoggerMessage(9, LogLevel.Warning, "With `vllm serve`, you should provide the model as a positional argument or in a config file instead of via the `--model` option. The `--model` option will be removed in a future version.")]
    public static partial void ModelFlagDeprecated(ILogger logger);

    [LoggerMessage(10, LogLevel.Information, "{Summary}")]
    public static partial void MemoryProfile(ILogger logger, string summary);

    [LoggerMessage(11, LogLevel.Error, "EngineCore failed to start.")]
    public static partial void EngineCoreFailed(ILogger logger);
}

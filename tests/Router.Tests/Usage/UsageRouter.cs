using GpuRouter.Usage;
using Microsoft.Extensions.DependencyInjection;
using VllmSim;

namespace Router.Tests.Usage;

/// <summary>A router with two simulated llama instances and usage written to PostgreSQL, retrying fast.</summary>
internal static class UsageRouter
{
    /// <summary>Retries and flushes in milliseconds so an outage test takes seconds, not minutes.</summary>
    public static UsageOptions FastOptions { get; } = new()
    {
        FlushInterval = TimeSpan.FromMilliseconds(100),
        RetryMin = TimeSpan.FromMilliseconds(100),
        RetryMax = TimeSpan.FromMilliseconds(400),
        ShutdownFlushTimeout = TimeSpan.FromSeconds(2),
    };

    public static RouterFactory Create(string? connectionString, SimServer gpu0, SimServer gpu1, UsageOptions? options = null)
    {
        var usage = connectionString is null ? "" : $"usage: {{ postgres: \"{connectionString}\" }}";
        return new RouterFactory($$"""
            {{TestKeys.ClientsYaml}}
            routing: { queueTimeout: 5s, streamIdleTimeout: 5s }
            models:
              - name: llama
                instances:
                  - { name: llama_0, gpus: [0], endpoint: "{{gpu0.BaseAddress}}", maxModelLen: 32768, maxConcurrent: 8 }
                  - { name: llama_1, gpus: [1], endpoint: "{{gpu1.BaseAddress}}", maxModelLen: 8192, maxConcurrent: 8 }
            {{usage}}
            """, services => services.AddSingleton(options ?? FastOptions));
    }
}

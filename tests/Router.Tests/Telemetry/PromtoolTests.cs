using System.Diagnostics;
using GpuRouter.Gpu;
using GpuRouter.Telemetry;

namespace Router.Tests.Telemetry;

public sealed class PromtoolTests
{
    private static readonly string[] DashboardFamilies =
    [
        "router_requests_total", "router_request_duration_seconds", "router_time_to_first_token_seconds",
        "router_queue_wait_seconds", "router_tokens_total", "router_inflight_requests", "router_queued_requests",
        "router_instance_state", "router_cold_start_seconds", "router_evictions_total", "router_instance_restarts_total",
        "router_mode", "router_gpu_memory_used_bytes", "router_gpu_memory_total_bytes", "router_gpu_utilization_ratio",
        "router_gpu_temperature_celsius", "router_gpu_power_watts", "process_resident_memory_bytes",
        "process_cpu_seconds_total", "process_start_time_seconds",
    ];

    [Fact]
    public async Task PromtoolCheckMetrics_FullRouterExpositionWithTrickyLabels_Passes()
    {
        var gpu = new GpuReading
        {
            Index = 0, Name = "NVIDIA GeForce RTX 3090", Uuid = "GPU-0", Available = true,
            MemoryTotalBytes = 25769803776, MemoryUsedBytes = 1258291200, UtilizationPercent = 5, PowerWatts = 31.2,
        };
        var metrics = new RouterMetrics(new StubGpuTelemetry(enabled: true, gpu, gpu with { Index = 1 }));
        foreach (var model in new[] { "llama", "we\"ird\\mod\nel", "модель", "" })
        {
            metrics.RecordRequest(new RequestRecord(model, "llama_0", "0,1", "batch", 503,
                TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(0.2), null, 10, 0));
        }

        metrics.RecordRequest(new RequestRecord("llama", "llama_1", "1", "interactive", 200,
            TimeSpan.FromSeconds(12), TimeSpan.Zero, TimeSpan.FromSeconds(0.3), 5000, 800));
        metrics.RecordColdStart("llama_1", TimeSpan.FromSeconds(48));
        metrics.RecordEviction("llama_0", "vram");
        metrics.RecordRestart("llama_0", "oom");
        metrics.SetInflight("llama_1", 3);
        metrics.SetQueued("llama_1", 1);
        metrics.SetInstanceState("llama_1", "Ready");
        metrics.SetMode("night");

        var text = Exposition.Of(metrics);
        var (exitCode, output) = await PromtoolAsync(text);

        Assert.True(exitCode == 0, $"promtool check metrics failed ({exitCode}):\n{output}\n--- exposition ---\n{text}");
        foreach (var family in DashboardFamilies)
        {
            Assert.Contains($"# TYPE {family} ", text, StringComparison.Ordinal);
        }
    }

    private static async Task<(int ExitCode, string Output)> PromtoolAsync(string exposition)
    {
        var promtool = new[] { "/usr/bin/promtool", "/usr/local/bin/promtool" }.FirstOrDefault(File.Exists);
        if (promtool is null)
        {
            Assert.Fail("promtool is not installed; scripts/test.sh installs it with Debian's `prometheus` package (apt-get install prometheus).");
        }

        var start = new ProcessStartInfo(promtool, ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.StandardInput.WriteAsync(exposition.AsMemory(), timeout.Token);
        process.StandardInput.Close();
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}

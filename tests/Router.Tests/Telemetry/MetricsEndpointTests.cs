using GpuRouter.Gpu;
using GpuRouter.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Router.Tests.Telemetry;

public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task GetMetrics_AfterARequestIsRecorded_ServesTheTextFormat()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddRouterTelemetry();
        await using var app = builder.Build();
        app.MapMetrics();
        await app.StartAsync();
        app.Services.GetRequiredService<RouterMetrics>().RecordRequest(new RequestRecord("llama", "llama_0", "0", "interactive", 200,
            TimeSpan.FromSeconds(1), TimeSpan.Zero, null, 1, 1));

        using var response = await app.GetTestClient().GetAsync(new Uri("/metrics", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(body), response.Content.Headers.ContentLength);
        Assert.Contains("router_requests_total{model=\"llama\"", body, StringComparison.Ordinal);
        Assert.IsType<DisabledGpuTelemetry>(app.Services.GetRequiredService<IGpuTelemetry>());
    }

    [Fact]
    public void AddRouterTelemetry_AfterAddGpuTelemetry_KeepsTheNvmlTelemetry()
    {
        var services = new ServiceCollection().AddLogging();

        services.AddGpuTelemetry(new NvmlOptions { Library = "/nonexistent/libnvidia-ml.so.1" }).AddRouterTelemetry();
        var reversed = new ServiceCollection().AddLogging().AddRouterTelemetry().AddGpuTelemetry(new NvmlOptions());
        using var provider = services.BuildServiceProvider();
        using var reversedProvider = reversed.BuildServiceProvider();

        Assert.IsType<NvmlPoller>(provider.GetRequiredService<IGpuTelemetry>());
        Assert.IsType<NvmlPoller>(reversedProvider.GetRequiredService<IGpuTelemetry>());
        Assert.NotNull(provider.GetRequiredService<RouterMetrics>());
    }
}

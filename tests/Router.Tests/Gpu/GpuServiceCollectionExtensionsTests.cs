using GpuRouter.Gpu;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Router.Tests.Gpu;

public sealed class GpuServiceCollectionExtensionsTests
{
    [Fact]
    public void AddGpuTelemetry_Resolved_TelemetryAndHostedServiceAreOnePoller()
    {
        using var fake = new FakeNvml();
        var services = new ServiceCollection().AddLogging();

        services.AddGpuTelemetry(fake.Options);
        using var provider = services.BuildServiceProvider();

        var telemetry = provider.GetRequiredService<IGpuTelemetry>();
        Assert.IsType<NvmlPoller>(telemetry);
        Assert.Same(telemetry, Assert.Single(provider.GetServices<IHostedService>()));
    }

    [Fact]
    public void AddGpuTelemetry_InvalidOptions_ThrowsNamingEveryProblem()
    {
        var options = new NvmlOptions { Library = "", PollInterval = TimeSpan.Zero };

        var error = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddGpuTelemetry(options));

        Assert.Contains("Library", error.Message, StringComparison.Ordinal);
        Assert.Contains("PollInterval", error.Message, StringComparison.Ordinal);
    }
}

using GpuRouter.Admission;
using GpuRouter.Configuration;
using GpuRouter.Hosting;
using GpuRouter.Instances;
using GpuRouter.Lifecycle;
using GpuRouter.Routing;
using GpuRouter.Schedule;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Router.Tests.Schedule;

public sealed class ModeControllerTests : IDisposable
{
    private readonly string _stateDir = Path.Combine(Path.GetTempPath(), "router-state-" + Guid.NewGuid().ToString("N"));

    private sealed class EndpointOwners : IInstanceOwnerFactory
    {
        public IInstanceOwner Create(InstanceDefinition definition, IInstanceLoad load) => new EndpointInstanceOwner(definition);
    }

    private (ModeController Controller, FakeTimeProvider Clock) Create(TimeSpan sinceEpoch)
    {
        var settings = ConfigLoader.Load("""
            schedule: { timeZone: UTC, nightStart: "0 0 2 * * ?", nightEnd: "0 0 6 * * ?" }
            models:
              - { name: llama, mode: day, endpoint: "http://127.0.0.1:1" }
              - { name: qwen, mode: night, endpoint: "http://127.0.0.1:2" }
            """, "test.yaml");
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero) + sinceEpoch);
        var models = new ModelsOptions(settings.Models);
        var registry = new InstanceRegistry(models, new InstanceGates(models, clock), new EndpointOwners());
        var store = new OverrideStore(_stateDir, NullLogger<OverrideStore>.Instance);
        return (new ModeController(settings.Schedule, settings.Lifecycle, registry, store, clock, NullLogger<ModeController>.Instance), clock);
    }

    [Fact]
    public void StartedAtThreeAm_IsInNightMode()
    {
        var (controller, _) = Create(TimeSpan.FromHours(3));
        Assert.Equal(ModelMode.Night, controller.Mode);
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 6, 0, 0, TimeSpan.Zero), controller.NextSwitch);
    }

    [Fact]
    public void StartedAtNoon_IsInDayModeAndNextSwitchIsTwoAm()
    {
        var (controller, _) = Create(TimeSpan.FromHours(12));
        Assert.Equal(ModelMode.Day, controller.Mode);
        Assert.Equal(new DateTimeOffset(2025, 1, 2, 2, 0, 0, TimeSpan.Zero), controller.NextSwitch);
    }

    [Fact]
    public async Task Override_SurvivesARestartAndAutoReturnsToTheSchedule()
    {
        var (first, _) = Create(TimeSpan.FromHours(12));
        Assert.NotNull(first.SetOverride(ModeOverride.Night));
        await Eventually.TrueAsync(() => first.Mode == ModelMode.Night, "the switch ran");
        Assert.Null(first.NextSwitch);

        var (restarted, _) = Create(TimeSpan.FromHours(13));
        Assert.Equal(ModelMode.Night, restarted.Mode);
        Assert.Equal(ModeOverride.Night, restarted.Override);

        restarted.SetOverride(ModeOverride.Auto);
        await Eventually.TrueAsync(() => restarted.Mode == ModelMode.Day, "back on the schedule");
        var (again, _) = Create(TimeSpan.FromHours(14));
        Assert.Equal(ModeOverride.Auto, again.Override);
        Assert.Equal(ModelMode.Day, again.Mode);
    }

    [Fact]
    public async Task FollowSchedule_WithOverride_DoesNothing()
    {
        var (controller, clock) = Create(TimeSpan.FromHours(12));
        controller.SetOverride(ModeOverride.Day);
        clock.Advance(TimeSpan.FromHours(15)); // 03:00 next day: the schedule says night
        await controller.FollowScheduleAsync(default);
        Assert.Equal(ModelMode.Day, controller.Mode);
    }

    [Fact]
    public async Task FollowSchedule_AtNightStart_SwitchesAndRecordsTheSwitch()
    {
        var (controller, clock) = Create(TimeSpan.FromHours(12));
        clock.Advance(TimeSpan.FromHours(14)); // 02:00 next day
        await controller.FollowScheduleAsync(default);
        Assert.Equal(ModelMode.Night, controller.Mode);
        Assert.Equal("night", controller.LastSwitch!.To);
        Assert.Equal("done", controller.LastSwitch.Phase);
    }

    public void Dispose()
    {
        if (Directory.Exists(_stateDir)) Directory.Delete(_stateDir, recursive: true);
    }
}

using GpuRouter.Timeline;
using GpuRouter.Lifecycle;
using GpuRouter.Instances;

namespace GpuRouter.Ui;

/// <summary>Feeds the instances' state changes to the <see cref="StateClock"/> the page reads its "for 40s" from.</summary>
internal sealed class UiWiring(InstanceRegistry registry, StateClock clock) : IHostedService
{
    // The registry creates the owners: taking it here makes sure they exist before we subscribe.
    private IEnumerable<ContainerInstanceOwner> Owners => registry.All.Select(r => r.Owner).OfType<ContainerInstanceOwner>();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var owner in Owners) owner.StateChanged += OnStateChanged;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var owner in Owners) owner.StateChanged -= OnStateChanged;
        return Task.CompletedTask;
    }

    private void OnStateChanged(string instance, InstanceState state) => clock.Changed(instance, state.ToString());
}

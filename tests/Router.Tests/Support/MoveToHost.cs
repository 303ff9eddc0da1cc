using GpuRouter.Instances;
using Microsoft.Extensions.DependencyInjection;

namespace Router.Tests;

/// <summary>
/// Puts configured instances on a remote host in a test router only. Until the engine side is
/// wired (issue 17 part two), start-up refuses a config with instances on <c>host:</c>
/// (RemoteInstancesCheck); the views' tests write them on the local engine and move them here,
/// after that check, as the loader would have typed them. Nothing is ever started on that host.
/// </summary>
internal static class MoveToHost
{
    public static Action<IServiceCollection> Instances(string host, params string[] names) => services =>
    {
        var models = (ModelsOptions)services.Last(d => d.ServiceType == typeof(ModelsOptions)).ImplementationInstance!;
        foreach (var model in models.Models)
            model.Instances = [.. model.Instances.Select(i => names.Contains(i.Name) ? On(i, host) : i)];
    };

    private static InstanceDefinition On(InstanceDefinition i, string host) => new()
    {
        Name = i.Name, Model = i.Model, Gpus = i.Gpus, MaxModelLen = i.MaxModelLen, MaxConcurrent = i.MaxConcurrent,
        MaxQueue = i.MaxQueue, GpuMemoryUtilization = i.GpuMemoryUtilization, Preload = i.Preload, Host = host,
        Endpoint = i.Endpoint, Args = i.Args, Env = i.Env, SkipMemoryCheck = i.SkipMemoryCheck, GpuLabel = i.GpuLabel,
    };
}

using GpuRouter.Configuration;

namespace GpuRouter.Hosting;

/// <summary>
/// Until remote hosts are wired (their engine connection, events, adoption and containers; issue
/// 17 part two), an instance with <c>host</c> would silently run on the local engine. This start-up
/// check refuses such a config instead, one error per instance saying what to do meanwhile. It is a
/// check beyond the file, so the loader itself still reads and validates <c>hosts</c> and <c>host</c>.
/// </summary>
internal static class RemoteInstancesCheck
{
    public static ConfigCheckResult Check(RouterConfig config)
    {
        var errors = new List<string>();
        foreach (var instance in config.Instances.Where(i => i.Host is not null))
        {
            var address = config.Hosts.Find(instance.Host!)?.Address ?? instance.Host;
            errors.Add($"instances[].host: instances on another host ({instance.Name} on '{instance.Host}') are not started by this version yet; "
                + $"for now run vLLM on {instance.Host} yourself and serve it as an endpoint instance of {instance.Model.Name} "
                + $"(endpoint: http://{address}:PORT/v1, without host and gpus)");
        }
        return new ConfigCheckResult(errors, []);
    }
}

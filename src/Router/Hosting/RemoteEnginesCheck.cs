using GpuRouter.Configuration;
using GpuRouter.Docker;

namespace GpuRouter.Hosting;

/// <summary>
/// Reads each remote host's TLS files the way its engine client will (the CA, the client
/// certificate and its key, PEM) and reports every problem at once, naming the key and the file,
/// so that start-up and <c>check-config</c> refuse a host whose engine could never be reached
/// instead of the router starting with that host for ever unreachable.
/// </summary>
internal static class RemoteEnginesCheck
{
    public static ConfigCheckResult Check(RouterConfig config)
    {
        var errors = new List<string>();
        for (var i = 0; i < config.Hosts.Hosts.Count; i++)
        {
            try
            {
                DockerTls.Load(config.Hosts.Hosts[i].Tls, $"hosts[{i}].tls").Dispose();
            }
            catch (DockerTlsException e)
            {
                errors.AddRange(e.Errors);
            }
        }
        return new ConfigCheckResult(errors, []);
    }
}

using System.Net;

namespace GpuRouter.Forwarding;

public static class ForwardingServiceCollectionExtensions
{
    public static IServiceCollection AddForwarding(this IServiceCollection services)
    {
        services.AddSingleton(_ => new HttpMessageInvoker(CreateHandler(), disposeHandler: true));
        services.AddSingleton<Forwarder>();
        return services;
    }

    // YARP's settings for a forwarding client: no proxy, no redirects, no cookies, no
    // decompression (bytes pass through as sent), and no total timeout (the forwarder applies
    // an idle timeout instead).
    internal static SocketsHttpHandler CreateHandler() => new()
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        EnableMultipleHttp2Connections = true,
        ActivityHeadersPropagator = null,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(50),
        MaxConnectionsPerServer = int.MaxValue,
    };
}

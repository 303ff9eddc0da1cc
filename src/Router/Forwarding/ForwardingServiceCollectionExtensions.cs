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
    // an idle timeout instead). Connections: as many as the instances' slots let through (the
    // admission gate is the limit, not the pool), kept alive between requests, and let go after
    // 4 s idle: vLLM's server closes a keep-alive connection after 5 s (VLLM_HTTP_TIMEOUT_KEEP_ALIVE),
    // so a connection the pool still offers is never one the backend is closing as a request goes out.
    internal static SocketsHttpHandler CreateHandler() => new()
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        EnableMultipleHttp2Connections = true,
        ActivityHeadersPropagator = null,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(4),
        MaxConnectionsPerServer = int.MaxValue,
    };
}

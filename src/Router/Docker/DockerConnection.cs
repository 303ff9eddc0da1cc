using Docker.DotNet;
using Docker.DotNet.NativeHttp;
using Docker.DotNet.Unix;

namespace GpuRouter.Docker;

/// <summary>
/// Builds the package's client for one endpoint. Always the configured endpoint and its transport
/// chosen here: the builder's defaults would read <c>DOCKER_HOST</c> and the docker CLI's contexts,
/// and pick the TCP transport from an environment variable. No proxy (a configured HTTP proxy must
/// never see the daemon's API), no redirects, and no timeout of the package's own: every call is
/// bounded by <see cref="DockerCall"/> on the router's clock. A TLS endpoint gets the package's
/// certificate credentials (client certificate, https) and a chain policy that trusts its CA alone.
/// </summary>
internal static class DockerConnection
{
    public static DockerClient Build(DockerEndpoint endpoint, Version? apiVersion, TimeSpan connectTimeout)
    {
        var builder = new DockerClientBuilder()
            .WithEndpoint(endpoint.Address)
            .WithApiVersion(apiVersion)
            .WithTimeout(Timeout.InfiniteTimeSpan)
            .WithAuthProvider(endpoint.Tls?.Credentials());
        return endpoint.SocketPath is not null
            ? builder.WithTransportOptions(new UnixSocketTransportOptions
            {
                ConfigureHandler = handler =>
                {
                    handler.UseProxy = false;
                    handler.RedirectMode = Microsoft.Net.Http.Client.RedirectMode.None;
                },
            }).Build()
            : builder.WithTransportOptions(new NativeHttpTransportOptions
            {
                ConfigureHandler = handler =>
                {
                    handler.UseProxy = false;
                    handler.AllowAutoRedirect = false;
                    // Bounds opening a connection (the TLS handshake included), so a dead TCP endpoint fails fast.
                    handler.ConnectTimeout = connectTimeout;
                    if (endpoint.Tls is { } tls)
                    {
                        handler.SslOptions.CertificateChainPolicy = tls.ChainPolicy();
                    }
                },
            }).Build();
    }
}

using System.Net;

namespace GpuRouter.Http;

/// <summary>The <c>server</c> section: what Kestrel listens on and what a request may be.</summary>
/// <param name="MinRequestBodyRate">Bytes per second a client must keep up while it sends a body; 0: no minimum.</param>
/// <param name="RequestBodyGracePeriod">How long a body may arrive slower than that before the 408.</param>
/// <param name="CorsOrigins">Browser origins allowed to call the API (CORS); empty: CORS off; "*": any.</param>
public sealed record ServerOptions(
    IReadOnlyList<string> Urls,
    IReadOnlyList<IPNetwork> AllowedNetworks,
    long MaxRequestBodyBytes,
    double MinRequestBodyRate,
    TimeSpan RequestBodyGracePeriod,
    IReadOnlyList<string> CorsOrigins);

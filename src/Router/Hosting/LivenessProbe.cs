using System.Net;
using GpuRouter.Instances;
using GpuRouter.Security;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace GpuRouter.Hosting;

/// <summary>
/// What the watchdog asks before each ping: does Kestrel answer the router's own GET /health
/// (over loopback, through the whole middleware and the thread pool) within a bound, and can every
/// instance owner's lock be taken within a bound. A wedged thread pool, a deadlocked lifecycle or a
/// server that stopped accepting fails it, and the pings stop.
/// </summary>
internal sealed class LivenessProbe : IDisposable
{
    private readonly IServer _server;
    private readonly InstanceRegistry _registry;
    private readonly ProbeKey _key;
    private readonly WatchdogSettings _settings;
    private readonly HttpClient _http;
    private Uri? _health;

    public LivenessProbe(IServer server, InstanceRegistry registry, ProbeKey key, WatchdogSettings settings)
    {
        _server = server;
        _registry = registry;
        _key = key;
        _settings = settings;
        // Our own socket on this host: no proxy, and a certificate made for the tailnet name is
        // still ours (server.urls may be https only).
        var handler = new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Null when alive; otherwise what failed, for the log.</summary>
    public async Task<string?> CheckAsync(CancellationToken ct)
    {
        var health = _health ??= HealthUri(_server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []);
        if (health is null) return "Kestrel reports no TCP address to send GET /health to";
        var failure = await RequestAsync(health, ct);
        if (failure is not null) return failure;
        foreach (var instance in _registry.All)
        {
            if (!instance.Owner.Responds(_settings.LockBound))
                return $"the lock of {instance.Name}'s owner was not free within {_settings.LockBound.TotalMilliseconds:0} ms";
        }
        return null;
    }

    private async Task<string?> RequestAsync(Uri health, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_settings.RequestBound);
        using var request = new HttpRequestMessage(HttpMethod.Get, health);
        request.Headers.Add(ProbeKey.Header, _key.Value);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
            return response.StatusCode == HttpStatusCode.OK ? null : $"GET {health} answered {(int)response.StatusCode}";
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return $"GET {health} did not answer within {_settings.RequestBound.TotalMilliseconds:0} ms";
        }
        catch (HttpRequestException e)
        {
            return $"GET {health} failed: {e.Message}";
        }
    }

    /// <summary>
    /// The address to probe among Kestrel's bound ones: plain HTTP before HTTPS, loopback first; a
    /// wildcard bind is reached on 127.0.0.1 (Kestrel's [::] is dual-mode); a specific address of
    /// this host (e.g. the tailnet's) as it is, the request still never leaving the host.
    /// </summary>
    internal static Uri? HealthUri(IEnumerable<string> addresses)
    {
        var candidates = addresses
            .Select(a => Uri.TryCreate(a, UriKind.Absolute, out var u) ? u : null)
            .OfType<Uri>()
            .Where(u => u.Scheme is "http" or "https" && !u.Host.Equals("unix", StringComparison.OrdinalIgnoreCase) && u.Port > 0)
            .Select(u => new UriBuilder(u.Scheme, ProbeHost(u.Host), u.Port, "/health").Uri)
            .OrderBy(u => u.Scheme == "http" ? 0 : 1)
            .ThenBy(u => u.IsLoopback ? 0 : 1);
        return candidates.FirstOrDefault();
    }

    private static string ProbeHost(string host) => host switch
    {
        "0.0.0.0" or "[::]" or "+" or "*" or "localhost" => "127.0.0.1",
        _ => host,
    };

    public void Dispose() => _http.Dispose();
}

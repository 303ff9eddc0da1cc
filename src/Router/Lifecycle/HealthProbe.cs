namespace GpuRouter.Lifecycle;

/// <summary>
/// Asks a vLLM server whether it is up. vLLM does not listen until its model is loaded, so a
/// refused or reset connection means "not yet", not "failed".
/// </summary>
internal sealed class HealthProbe : IDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler
    {
        UseProxy = false,
        ConnectTimeout = TimeSpan.FromSeconds(2),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(5),
    })
    {
        Timeout = TimeSpan.FromSeconds(5),
    };

    /// <param name="key">The backend's API key, sent as a Bearer token (vLLM leaves /health open, a proxy in front may not); null: none.</param>
    public async Task<bool> IsHealthyAsync(Uri baseAddress, string? key, CancellationToken ct)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseAddress, "health"));
            if (key is not null) request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
            using var response = await _client.SendAsync(request, ct);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return false;
        }
    }

    /// <summary>
    /// Waits up to <paramref name="limit"/> for the port to accept a connection, trying every few
    /// milliseconds. A refused connect costs microseconds, so the cold start learns that vLLM is up
    /// within ~5 ms instead of up to a whole health-poll interval; /health is asked right after.
    /// True when the port accepted a connection.
    /// </summary>
    public async Task<bool> WaitForPortAsync(Uri baseAddress, TimeSpan limit, TimeProvider time, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        while (time.GetElapsedTime(started) < limit)
        {
            using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
                attempt.CancelAfter(TimeSpan.FromMilliseconds(200));
                await socket.ConnectAsync(baseAddress.Host, baseAddress.Port, attempt.Token);
                return true;
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException || (e is OperationCanceledException && !ct.IsCancellationRequested))
            {
                await Task.Delay(PortRetry, time, ct);
            }
        }
        return false;
    }

    private static readonly TimeSpan PortRetry = TimeSpan.FromMilliseconds(5);

    public void Dispose() => _client.Dispose();
}

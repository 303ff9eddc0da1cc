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

    public async Task<bool> IsHealthyAsync(Uri baseAddress, CancellationToken ct)
    {
        try
        {
            using var response = await _client.GetAsync(new Uri(baseAddress, "health"), ct);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return false;
        }
    }

    public void Dispose() => _client.Dispose();
}

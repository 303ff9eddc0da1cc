using System.Net.Http.Json;
using System.Text.Json;

namespace GpuRouter.Lifecycle;

/// <summary>
/// vLLM's sleep-mode routes (served only with <c>--enable-sleep-mode</c> and
/// <c>VLLM_SERVER_DEV_MODE=1</c>): <c>POST /sleep?level=N</c>, <c>POST /wake_up</c>,
/// <c>GET /is_sleeping</c>, and after a level-2 sleep <c>POST /collective_rpc</c>
/// (<c>{"method":"reload_weights"}</c>) and <c>POST /reset_prefix_cache</c>. Every call is bounded;
/// a failure comes back as a sentence, never as an exception.
/// </summary>
internal sealed class VllmSleepApi : IDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler
    {
        UseProxy = false,
        ConnectTimeout = TimeSpan.FromSeconds(2),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(5),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>POST /sleep?level=N, then /is_sleeping must say true. Null on success.</summary>
    public async Task<string?> SleepAsync(Uri address, int level, TimeSpan timeout, string? key = null)
    {
        if (await PostAsync(address, $"sleep?level={level}", null, timeout, key) is { } error) return error;
        return await IsSleepingAsync(address, timeout, key) switch
        {
            true => null,
            false => "/sleep answered, but /is_sleeping says it is awake",
            null => "/sleep answered, but /is_sleeping did not",
        };
    }

    /// <summary>POST /wake_up (level 2: then reload the weights and reset the prefix cache), then /is_sleeping must say false.</summary>
    public async Task<string?> WakeAsync(Uri address, int level, TimeSpan timeout, string? key = null)
    {
        if (await PostAsync(address, "wake_up", null, timeout, key) is { } error) return error;
        if (level == 2)
        {
            if (await PostAsync(address, "collective_rpc", JsonContent.Create(new { method = "reload_weights" }), timeout, key) is { } reload) return reload;
            if (await PostAsync(address, "reset_prefix_cache", null, timeout, key) is { } reset) return reset;
        }
        return await IsSleepingAsync(address, timeout, key) switch
        {
            false => null,
            true => "/wake_up answered, but /is_sleeping still says it sleeps",
            null => "/wake_up answered, but /is_sleeping did not",
        };
    }

    /// <summary>GET /is_sleeping: true or false, or null when it does not answer in time (or not in vLLM's shape).</summary>
    public async Task<bool?> IsSleepingAsync(Uri address, TimeSpan timeout, string? key = null)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            using var request = Request(HttpMethod.Get, new Uri(address, "is_sleeping"), null, key);
            using var response = await _client.SendAsync(request, cts.Token);
            if (!response.IsSuccessStatusCode) return null;
            using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cts.Token), cancellationToken: cts.Token);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("is_sleeping", out var value)
                && value.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? value.GetBoolean()
                : null;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or JsonException or OperationCanceledException)
        {
            return null;
        }
    }

    // vLLM guards its sleep routes with --api-key too (every route but /health and a few others).
    private static HttpRequestMessage Request(HttpMethod method, Uri uri, HttpContent? content, string? key)
    {
        var request = new HttpRequestMessage(method, uri) { Content = content };
        if (key is not null) request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return request;
    }

    private async Task<string?> PostAsync(Uri address, string path, HttpContent? content, TimeSpan timeout, string? key)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            using var request = Request(HttpMethod.Post, new Uri(address, path), content, key);
            using var response = await _client.SendAsync(request, cts.Token);
            if (response.IsSuccessStatusCode) return null;
            var body = await response.Content.ReadAsStringAsync(cts.Token);
            return $"POST /{path} answered {(int)response.StatusCode}: {(body.Length > 300 ? body[..300] : body)}";
        }
        catch (OperationCanceledException)
        {
            return $"POST /{path} did not answer within {Configuration.Duration.Format(timeout)}";
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return $"POST /{path} failed: {e.Message}";
        }
        finally
        {
            content?.Dispose();
        }
    }

    public void Dispose() => _client.Dispose();
}

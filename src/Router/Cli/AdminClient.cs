using System.Net;
using System.Text;
using System.Text.Json;

namespace GpuRouter.Cli;

/// <summary>
/// The admin API as the commands use it. Every way a call can go wrong comes back as an
/// <see cref="AdminResult"/> with a one-line failure and its exit code, never an exception.
/// </summary>
internal sealed class AdminClient : IDisposable
{
    public const string DefaultUrl = "http://127.0.0.1:8000";
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    private readonly HttpClient _http;
    private readonly AdminKey _key;

    private AdminClient(Uri baseAddress, AdminKey key)
    {
        BaseAddress = baseAddress;
        _key = key;
        var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) };
        _http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = RequestTimeout };
        if (key.Value is not null) _http.DefaultRequestHeaders.Authorization = new("Bearer", key.Value);
    }

    public Uri BaseAddress { get; }

    /// <summary>The client for --url (else $GPU_ROUTER_URL, else the default); null with a message for a URL that is not one.</summary>
    public static AdminClient? Create(CliCall call, out string? error)
    {
        var url = call.Option("--url") ?? (call.Context.Environment("GPU_ROUTER_URL") is { Length: > 0 } env ? env : DefaultUrl);
        if (!Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            error = $"'{url}' is not an http:// or https:// URL.";
            return null;
        }
        error = null;
        return new AdminClient(uri, AdminKey.Find(call.Context.Environment));
    }

    public Task<AdminResult> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public async Task<AdminResult> SendAsync(HttpMethod method, string path, string? json = null)
    {
        // Relative to the base, so a router behind a path prefix (https://host/router/) works too.
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        try
        {
            using var response = await _http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            return Judge((int)response.StatusCode, text);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return AdminResult.Unanswered(new CliFailure(ExitCodes.Unreachable, $"cannot reach the router at {BaseAddress}: {e.Message}"));
        }
        catch (TaskCanceledException)
        {
            return AdminResult.Unanswered(new CliFailure(
                ExitCodes.Unreachable, $"no answer from the router at {BaseAddress} within {RequestTimeout.TotalSeconds:0} s."));
        }
    }

    private AdminResult Judge(int status, string text)
    {
        JsonElement body = default;
        try
        {
            using var doc = JsonDocument.Parse(text);
            body = doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            // Not JSON: the NotARouter answer below.
        }
        if (body.ValueKind != JsonValueKind.Undefined && status is >= 200 and < 300) return new AdminResult(status, body, text, null);
        // Every failure of the router carries {"error":{"message",...}}; anything else came from something else.
        if (AdminResult.ErrorMessage(body) is not { } message) return new AdminResult(status, body, text, NotARouter(status));
        return new AdminResult(status, body, text, status switch
        {
            (int)HttpStatusCode.Unauthorized when _key.Value is null => new CliFailure(ExitCodes.Refused,
                $"no admin key: set GPU_ROUTER_ADMIN_KEY (or ROUTER_ADMIN_KEY), or run as root ({_key.Source})."),
            (int)HttpStatusCode.Unauthorized => new CliFailure(ExitCodes.Refused, $"the router refused the admin key from {_key.Source}: {message}"),
            (int)HttpStatusCode.Forbidden => new CliFailure(ExitCodes.Refused, $"the router refused: {message}"),
            _ => new CliFailure(ExitCodes.Failed, $"the router answered {status}: {message}"),
        });
    }

    private CliFailure NotARouter(int status) =>
        new(ExitCodes.Unreachable, $"{BaseAddress} answered {status} without a GPU Router's JSON: is --url right?");

    public void Dispose() => _http.Dispose();
}

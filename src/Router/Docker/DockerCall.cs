using System.Globalization;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PackageApiException = Docker.DotNet.DockerApiException;

namespace GpuRouter.Docker;

/// <summary>
/// One call through the package, described as <c>GET /v1.41/containers/abc/json</c>. It adds what
/// the package lacks: a timeout on the injected <see cref="TimeProvider"/> linked with the caller's
/// token (the package's own is a wall-clock timer, and off), and one failure per cause: the
/// daemon's error answers as <see cref="DockerApiException"/> with its message and status (the
/// package's carries the raw body and not the call), and every way of not reaching the daemon
/// (no socket, refused, dropped, silent) as <see cref="DockerUnavailableException"/>.
/// </summary>
internal sealed class DockerCall(DockerEndpoint endpoint, string description, TimeSpan timeout, TimeProvider time, ILogger logger)
{
    private const string ClientCertificateHint =
        "over TLS this usually means the daemon refused the router's client certificate: it must be signed by the CA the daemon was given with --tlscacert";

    public string Description => description;

    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken caller)
    {
        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(caller, timer.Token);
        try
        {
            return await call(linked.Token);
        }
        catch (Exception exception) when (Translate(exception, caller, timer.IsCancellationRequested) is { } translated)
        {
            throw translated;
        }
    }

    public async Task RunAsync(Func<CancellationToken, Task> call, CancellationToken caller) =>
        await RunAsync(async token =>
        {
            await call(token);
            return true;
        }, caller);

    /// <summary>
    /// The exception to throw instead of <paramref name="exception"/>, or null to let it pass (the
    /// caller's own cancellation, and bugs).
    /// </summary>
    public Exception? Translate(Exception exception, CancellationToken caller, bool timedOut)
    {
        if (caller.IsCancellationRequested)
        {
            // The unix transport wraps a cancelled read in HttpRequestException: the caller asked for this.
            return exception is OperationCanceledException ? null : new OperationCanceledException(null, exception, caller);
        }

        return exception switch
        {
            PackageApiException api => Answered(api),
            _ when timedOut => Unavailable($"The Docker daemon at {endpoint.Display} did not answer {description} within {FormatTimeout()}.", exception),
            HttpRequestException request => Unavailable($"The Docker daemon at {endpoint.Display} is unreachable ({description}): {Reason(request)}", exception),
            IOException io => Unavailable($"The connection to the Docker daemon at {endpoint.Display} broke during {description}: {io.Message}", exception),
            // A connect timeout of the TCP transport, not ours.
            OperationCanceledException => Unavailable($"The Docker daemon at {endpoint.Display} did not accept a connection for {description}.", exception),
            _ => null,
        };
    }

    public DockerUnavailableException Unavailable(string message, Exception? inner) => new(endpoint.Display, message, inner);

    private DockerApiException Answered(PackageApiException api)
    {
        logger.ErrorAnswered((int)api.StatusCode, description);
        return new DockerApiException(api.StatusCode, DaemonMessage(api), description);
    }

    // Docker answers errors as {"message": "..."}; proxies and very old daemons in plain text.
    private static string DaemonMessage(PackageApiException api)
    {
        var body = api.ResponseBody?.Trim() ?? "";
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("message", out var message)
                && message.GetString() is { Length: > 0 } text)
            {
                return text;
            }
        }
        catch (JsonException)
        {
            // Not JSON: the text is the message.
        }

        return body.Length > 0 ? body : api.StatusCode.ToString();
    }

    // The socket error ("Connection refused", "Permission denied") says more than the handler's
    // wrapper. A missing socket file reads as "Cannot assign requested address" in .NET, so that
    // case is spelled out, and so is a TLS handshake that failed: what was checked, against what.
    private string Reason(HttpRequestException exception)
    {
        for (Exception? inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is AuthenticationException authentication)
            {
                return TlsFailure(authentication);
            }

            if (inner is SocketException socket)
            {
                return socket.SocketErrorCode switch
                {
                    SocketError.AddressNotAvailable when endpoint.SocketPath is { } path && !File.Exists(path) =>
                        $"there is no socket at {path} (is the daemon running?)",
                    SocketError.ConnectionReset when endpoint.Tls is not null => $"{socket.Message} ({ClientCertificateHint})",
                    _ => socket.Message,
                };
            }
        }

        // TLS 1.3 ends the client's half of the handshake before the daemon checks the client's
        // certificate: a refusal arrives with the first request, as a reset or as the daemon's
        // alert ("bad certificate") inside a failed read, whichever wins the race.
        return endpoint.Tls is not null
            ? $"{exception.GetBaseException().Message} ({ClientCertificateHint})"
            : exception.InnerException?.Message ?? exception.Message;
    }

    private string TlsFailure(AuthenticationException exception)
    {
        var innermost = exception.GetBaseException();
        var detail = innermost == exception ? exception.Message : $"{exception.Message} {innermost.Message}";
        return endpoint.Tls is { } tls
            ? $"the TLS handshake failed: {detail} (the daemon's certificate must be signed by the CA in {tls.CaFile} and name the host of the endpoint; "
                + "the daemon must trust the router's client certificate)"
            : $"the TLS handshake failed: {detail}";
    }

    private string FormatTimeout() => string.Create(CultureInfo.InvariantCulture, $"{timeout.TotalSeconds:0.###} s");
}

using System.Buffers;
using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace GpuRouter.Forwarding;

/// <summary>
/// Sends a request to a backend and streams the response back as it arrives (YARP's rules):
/// no buffering, a pooled copy buffer, an idle timeout reset on every read instead of a total
/// timeout, and failures returned as a <see cref="ForwarderError"/> rather than thrown.
/// </summary>
internal sealed partial class Forwarder(HttpMessageInvoker invoker, TimeProvider time, ILoggerFactory loggers)
{
    // The category (SourceContext in the JSON log) from before the forwarder had its own folder: log queries use it.
    private readonly ILogger _logger = loggers.CreateLogger("GpuRouter.Proxy.Forwarder");

    private const int BufferSize = 16 * 1024;

    // Absolute backend URIs by base address and path. The paths are the few OpenAI routes, so this
    // stays small; the cap only guards against clients inventing case variants of them.
    private const int MaxCachedTargets = 256;
    private readonly ConcurrentDictionary<(Uri Destination, string Path), Uri> _targets = new();

    /// <param name="onHeaders">Adds the router's own headers just before the response starts; gets <paramref name="state"/>.</param>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ForwardResult> ForwardAsync<TState>(
        HttpContext context, ForwardRequest request, Action<HttpResponse, TState>? onHeaders, TState state,
        CancellationToken cancellationToken)
    {
        var idle = IdleCancellation.Rent(request.IdleTimeout, cancellationToken);
        try
        {
            using var message = CreateMessage(context, request);
            HttpResponseMessage response;
            try
            {
                response = await invoker.SendAsync(message, idle.Token);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
            {
                if (cancellationToken.IsCancellationRequested) return new(ForwarderError.ClientCanceled, 499, default, null);
                if (idle.IsCancellationRequested) return new(ForwarderError.RequestTimedOut, 504, default, null, "no response headers within the idle timeout");
                LogConnectFailed(_logger, request.Destination.Authority, e.Message);
                return new(ForwarderError.Connect, 503, default, null, Describe(e));
            }
            using (response)
            {
                var sse = IsEventStream(response.Content.Headers);
                if (context.Response.HasStarted)
                    return await RelayIntoStartedStreamAsync(context, response, request, idle, cancellationToken);
                CopyResponseHeaders(context.Response, response, sse);
                onHeaders?.Invoke(context.Response, state);
                return await CopyBodyAsync(context, response, sse, request, idle, cancellationToken);
            }
        }
        finally
        {
            idle.Return();
        }
    }

    private HttpRequestMessage CreateMessage(HttpContext context, ForwardRequest request)
    {
        var source = context.Request;
        var message = new HttpRequestMessage(HttpMethod.Post, Target(request.Destination, source))
        {
            Version = System.Net.HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ReadOnlyMemoryContent(request.Body),
        };
        if (HttpMethods.IsGet(source.Method)) message.Method = HttpMethod.Get;
        foreach (var header in source.Headers)
        {
            if (!HeaderRules.ForwardToBackend(header.Key) || !HeaderRules.Sendable(header.Value)) continue;
            HttpHeaders target = header.Key.StartsWith("Content-", StringComparison.OrdinalIgnoreCase) ? message.Content.Headers : message.Headers;
            // One value (nearly always) goes in as a string: no enumerable boxed around it.
            var values = header.Value;
            if (values.Count == 1) target.TryAddWithoutValidation(header.Key, values.ToString());
            else target.TryAddWithoutValidation(header.Key, values.ToArray());
        }
        if (request.BackendKey is { } key) message.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return message;
    }

    private Uri Target(Uri destination, HttpRequest source)
    {
        var path = source.Path.Value ?? "/";
        if (source.QueryString.HasValue) return new Uri(destination, path + source.QueryString.Value);
        var key = (destination, path);
        if (_targets.TryGetValue(key, out var target)) return target;
        target = new Uri(destination, path);
        if (_targets.Count < MaxCachedTargets) _targets.TryAdd(key, target);
        return target;
    }

    // NonValidated: the backend's header text passes through as sent, without being parsed into
    // typed values and formatted back (YARP does the same).
    private static void CopyResponseHeaders(HttpResponse target, HttpResponseMessage response, bool sse)
    {
        target.StatusCode = (int)response.StatusCode;
        foreach (var header in response.Headers.NonValidated)
        {
            if (HeaderRules.ReturnToClient(header.Key)) target.Headers[header.Key] = Values(header.Value);
        }
        foreach (var header in response.Content.Headers.NonValidated)
        {
            if (HeaderRules.ReturnToClient(header.Key)) target.Headers[header.Key] = Values(header.Value);
        }
        if (sse)
        {
            target.Headers["X-Accel-Buffering"] = "no";
            target.Headers.CacheControl = "no-cache";
            target.Headers.ContentLength = null;
        }
        target.HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
    }

    private static StringValues Values(HeaderStringValues values) =>
        values.Count == 1 ? new StringValues(values.ToString()) : new StringValues([.. values]);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ForwardResult> CopyBodyAsync(
        HttpContext context, HttpResponseMessage response, bool sse, ForwardRequest request,
        IdleCancellation idle, CancellationToken clientToken)
    {
        TimeSpan? firstByte = null;
        var sniffer = new UsageSniffer();
        byte[]? buffer = null;
        var status = (int)response.StatusCode;
        try
        {
            // Headers were read, so the content stream is already there: the synchronous call does
            // not block, and it saves the Task that the asynchronous one allocates to return it.
            await using var upstream = response.Content.ReadAsStream(idle.Token);
            var output = context.Response.Body;
            while (true)
            {
                idle.ResetTimeout();
                int read;
                try
                {
                    // A zero-byte read waits for data without holding a buffer (YARP does the same):
                    // a stream between two tokens gives its buffer back, so a thousand open streams
                    // hold buffers only for the few that are copying at that moment.
                    var available = upstream.ReadAsync(Memory<byte>.Empty, idle.Token);
                    if (available.IsCompletedSuccessfully)
                    {
                        _ = available.Result;
                    }
                    else
                    {
                        if (buffer is not null)
                        {
                            ArrayPool<byte>.Shared.Return(buffer);
                            buffer = null;
                        }
                        await available;
                    }
                    buffer ??= ArrayPool<byte>.Shared.Rent(BufferSize);
                    read = await upstream.ReadAsync(buffer.AsMemory(), idle.Token);
                }
                catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
                {
                    if (clientToken.IsCancellationRequested) return new(ForwarderError.ClientCanceled, status, sniffer.Counts, firstByte);
                    var error = idle.IsCancellationRequested ? ForwarderError.ResponseBodyIdle : ForwarderError.ResponseBodyUpstream;
                    return new(error, status, sniffer.Counts, firstByte, idle.IsCancellationRequested ? "the backend went silent mid-response" : Describe(e));
                }
                if (read == 0) break;
                firstByte ??= time.GetElapsedTime(request.ArrivedAt);
                sniffer.Feed(buffer.AsSpan(0, read));
                try
                {
                    await output.WriteAsync(buffer.AsMemory(0, read), clientToken);
                    if (sse) await output.FlushAsync(clientToken);
                }
                catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
                {
                    return new(ForwarderError.ResponseBodyClient, status, sniffer.Counts, firstByte);
                }
            }
            return new(ForwarderError.None, status, sniffer.Counts, firstByte);
        }
        finally
        {
            if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // The client already has a 200 event stream (loading feedback was sent while the backend
    // started). A success streams on; an error status becomes an error event in that stream.
    private async ValueTask<ForwardResult> RelayIntoStartedStreamAsync(
        HttpContext context, HttpResponseMessage response, ForwardRequest request,
        IdleCancellation idle, CancellationToken clientToken)
    {
        if (response.IsSuccessStatusCode)
            return await CopyBodyAsync(context, response, sse: true, request, idle, clientToken);
        var body = await response.Content.ReadAsByteArrayAsync(idle.Token);
        return new(ForwarderError.BackendErrorInStream, (int)response.StatusCode, default, null, System.Text.Encoding.UTF8.GetString(body));
    }

    // The media type of the raw Content-Type (what MediaTypeHeaderValue.MediaType would give), without parsing it into one.
    private static bool IsEventStream(HttpContentHeaders headers)
    {
        if (!headers.NonValidated.TryGetValues("Content-Type", out var values) || values.Count != 1) return false;
        var type = values.ToString().AsSpan();
        var parameters = type.IndexOf(';');
        if (parameters >= 0) type = type[..parameters];
        return type.Trim().Equals("text/event-stream", StringComparison.OrdinalIgnoreCase);
    }

    private static string Describe(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException s) return s.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused",
                SocketError.ConnectionReset => "connection reset",
                _ => s.Message,
            };
        }
        return e.Message;
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Backend {Authority} could not be reached: {Reason}")]
    private static partial void LogConnectFailed(ILogger logger, string authority, string reason);
}

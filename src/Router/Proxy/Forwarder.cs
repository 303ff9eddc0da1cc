using System.Buffers;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http.Features;

namespace GpuRouter.Proxy;

/// <summary>
/// Sends a request to a backend and streams the response back as it arrives (YARP's rules):
/// no buffering, a pooled copy buffer, an idle timeout reset on every read instead of a total
/// timeout, and failures returned as a <see cref="ForwarderError"/> rather than thrown.
/// </summary>
internal sealed partial class Forwarder(HttpMessageInvoker invoker, TimeProvider time, ILogger<Forwarder> logger)
{
    private const int BufferSize = 16 * 1024;

    public async Task<ForwardResult> ForwardAsync(
        HttpContext context, ForwardRequest request, Action<HttpResponse>? onHeaders, CancellationToken cancellationToken)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        idle.CancelAfter(request.IdleTimeout);
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
            LogConnectFailed(logger, request.Destination.Authority, e.Message);
            return new(ForwarderError.Connect, 503, default, null, Describe(e));
        }
        using (response)
        {
            var sse = IsEventStream(response.Content.Headers.ContentType);
            if (context.Response.HasStarted)
                return await RelayIntoStartedStreamAsync(context, response, request, idle, cancellationToken);
            CopyResponseHeaders(context.Response, response, sse);
            onHeaders?.Invoke(context.Response);
            return await CopyBodyAsync(context, response, sse, request, idle, cancellationToken);
        }
    }

    private static HttpRequestMessage CreateMessage(HttpContext context, ForwardRequest request)
    {
        var source = context.Request;
        var message = new HttpRequestMessage(HttpMethod.Post, new Uri(request.Destination, source.Path.Value + source.QueryString.Value))
        {
            Version = System.Net.HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ReadOnlyMemoryContent(request.Body),
        };
        if (HttpMethods.IsGet(source.Method)) message.Method = HttpMethod.Get;
        foreach (var header in source.Headers)
        {
            if (!HeaderRules.ForwardToBackend(header.Key)) continue;
            if (header.Key.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
                message.Content.Headers.TryAddWithoutValidation(header.Key, (IEnumerable<string>)header.Value);
            else
                message.Headers.TryAddWithoutValidation(header.Key, (IEnumerable<string>)header.Value);
        }
        return message;
    }

    private static void CopyResponseHeaders(HttpResponse target, HttpResponseMessage response, bool sse)
    {
        target.StatusCode = (int)response.StatusCode;
        foreach (var header in response.Headers)
        {
            if (HeaderRules.ReturnToClient(header.Key)) target.Headers[header.Key] = header.Value.ToArray();
        }
        foreach (var header in response.Content.Headers)
        {
            if (HeaderRules.ReturnToClient(header.Key)) target.Headers[header.Key] = header.Value.ToArray();
        }
        if (sse)
        {
            target.Headers["X-Accel-Buffering"] = "no";
            target.Headers.CacheControl = "no-cache";
            target.Headers.ContentLength = null;
        }
        target.HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
    }

    private async Task<ForwardResult> CopyBodyAsync(
        HttpContext context, HttpResponseMessage response, bool sse, ForwardRequest request,
        CancellationTokenSource idle, CancellationToken clientToken)
    {
        TimeSpan? firstByte = null;
        var sniffer = new UsageSniffer();
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var status = (int)response.StatusCode;
        try
        {
            await using var upstream = await response.Content.ReadAsStreamAsync(idle.Token);
            var output = context.Response.Body;
            while (true)
            {
                idle.CancelAfter(request.IdleTimeout);
                int read;
                try
                {
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
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // The client already has a 200 event stream (loading feedback was sent while the backend
    // started). A success streams on; an error status becomes an error event in that stream.
    private async Task<ForwardResult> RelayIntoStartedStreamAsync(
        HttpContext context, HttpResponseMessage response, ForwardRequest request,
        CancellationTokenSource idle, CancellationToken clientToken)
    {
        if (response.IsSuccessStatusCode)
            return await CopyBodyAsync(context, response, sse: true, request, idle, clientToken);
        var body = await response.Content.ReadAsByteArrayAsync(idle.Token);
        return new(ForwarderError.BackendErrorInStream, (int)response.StatusCode, default, null, System.Text.Encoding.UTF8.GetString(body));
    }

    private static bool IsEventStream(MediaTypeHeaderValue? type) =>
        string.Equals(type?.MediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase);

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

using System.Buffers;
using GpuRouter.Failures;
using GpuRouter.Http;
using Microsoft.AspNetCore.Http.Features;

namespace GpuRouter.Requests;

/// <summary>The client's body read once into a pooled buffer, bounded by server.maxRequestBodyBytes.</summary>
internal sealed class RequestBody : IDisposable
{
    private byte[] _buffer;

    private RequestBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, Length);

    // A ValueTask: the body has usually arrived with the headers, and then this completes without allocating.
    public static async ValueTask<(RequestBody? Body, RouterError? Error)> ReadAsync(HttpContext context, long limit, CancellationToken ct)
    {
        var request = context.Request;
        if (request.ContentLength > limit) return (null, RouterError.From(Failure.TooLarge(limit)));
        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false }) feature.MaxRequestBodySize = limit;
        // One byte more than announced: the read that returns 0 then finds room without growing the buffer.
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp((request.ContentLength ?? 4095) + 1, 256, limit + 1));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length >= limit) return (Release(buffer), RouterError.From(Failure.TooLarge(limit)));
                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                var read = await request.Body.ReadAsync(buffer.AsMemory(length), ct);
                if (read == 0) break;
                length += read;
                if (length > limit) return (Release(buffer), RouterError.From(Failure.TooLarge(limit)));
            }
        }
        catch (BadHttpRequestException e)
        {
            // Cut short, too slow or too large, as Kestrel judged it: the client's fault, with Kestrel's status.
            return (Release(buffer), BadRequestErrors.From(e, limit));
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
        return (new RequestBody(buffer, length), null);
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }

    private static RequestBody? Release(byte[] buffer)
    {
        ArrayPool<byte>.Shared.Return(buffer);
        return null;
    }
}

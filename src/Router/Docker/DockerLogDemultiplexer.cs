using System.Buffers;
using System.Buffers.Binary;

namespace GpuRouter.Docker;

/// <summary>
/// Undoes Docker's multiplexed stream (logs and attach of a container without a TTY): frames of
/// an 8-byte header <c>[stream, 0, 0, 0, size as big-endian uint32]</c> followed by the payload.
/// Chunks may split a header or a payload anywhere, so the state carries over between
/// <see cref="Write"/> calls. Stdout (1) and stderr (2) payloads are kept in arrival order, which
/// is the order the daemon logged them; stdin (0) echoes are dropped; a daemon error (3) is kept
/// because it explains why the stream ended.
/// </summary>
internal sealed class DockerLogDemultiplexer
{
    private const int HeaderSize = 8;
    private const byte MaxStreamType = 3;
    private readonly byte[] _header = new byte[HeaderSize];
    private int _headerFilled;
    private uint _payloadRemaining;
    private bool _keepPayload;

    /// <summary>False when the input so far ends inside a header or payload (a truncated stream).</summary>
    public bool IsAtFrameBoundary => _headerFilled == 0 && _payloadRemaining == 0;

    public void Write(ReadOnlySpan<byte> chunk, IBufferWriter<byte> output)
    {
        while (!chunk.IsEmpty)
        {
            if (_payloadRemaining == 0)
            {
                var take = Math.Min(HeaderSize - _headerFilled, chunk.Length);
                chunk[..take].CopyTo(_header.AsSpan(_headerFilled));
                _headerFilled += take;
                chunk = chunk[take..];
                if (_headerFilled < HeaderSize)
                {
                    return;
                }

                _headerFilled = 0;
                StartFrame();
                continue;
            }

            var length = (int)Math.Min(_payloadRemaining, (uint)chunk.Length);
            if (_keepPayload)
            {
                output.Write(chunk[..length]);
            }

            _payloadRemaining -= (uint)length;
            chunk = chunk[length..];
        }
    }

    private void StartFrame()
    {
        var streamType = _header[0];
        if (streamType > MaxStreamType || _header[1] != 0 || _header[2] != 0 || _header[3] != 0)
        {
            throw new InvalidDataException(
                $"Not a Docker multiplexed stream: frame header starts with {_header[0]:x2} {_header[1]:x2} {_header[2]:x2} {_header[3]:x2}.");
        }

        _keepPayload = streamType != 0;
        _payloadRemaining = BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(4));
    }
}

using System.Buffers;
using System.Text;
using Docker.DotNet;

namespace GpuRouter.Docker;

/// <summary>
/// Reads a finished (not followed) logs response into one text. The package hands stdout and
/// stderr apart (<see cref="MultiplexedStream.ReadOutputToEndAsync"/> returns two strings, and
/// the order between them is lost); here each frame is kept where it arrived, which is the order
/// the daemon logged the lines, so the last lines are the last ones written (what the OOM check
/// and the start-failure excerpt read).
/// </summary>
internal static class DockerLogTail
{
    private const int ChunkSize = 16 * 1024;

    public static async Task<string> ReadAsync(MultiplexedStream stream, CancellationToken cancellationToken)
    {
        var output = new ArrayBufferWriter<byte>();
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            while (true)
            {
                var read = await stream.ReadOutputAsync(buffer, 0, ChunkSize, cancellationToken);
                if (read.EOF)
                {
                    break;
                }

                // Stdin echoes are not the container's output.
                if (read.Target != MultiplexedStream.TargetStream.StandardIn)
                {
                    output.Write(buffer.AsSpan(0, read.Count));
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        // Decoded once at the end, so a character split across frames or reads stays whole.
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }
}

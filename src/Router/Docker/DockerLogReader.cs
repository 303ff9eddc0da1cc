using System.Buffers;
using System.Text;

namespace GpuRouter.Docker;

/// <summary>Reads a finished (not followed) logs response into text.</summary>
internal static class DockerLogReader
{
    private const int ChunkSize = 16 * 1024;

    public const string MultiplexedContentType = "application/vnd.docker.multiplexed-stream";
    public const string RawContentType = "application/vnd.docker.raw-stream";

    /// <summary>
    /// Whether the body is multiplexed, when the response says so. API 1.42+ daemons send a
    /// content type; older ones send none, and only the container's TTY setting tells.
    /// </summary>
    public static bool? IsMultiplexed(DockerResponse response) =>
        response.ContentHeaders.ContentType?.MediaType switch
        {
            MultiplexedContentType => true,
            RawContentType => false,
            _ => null,
        };

    public static Task<string> ReadAsync(DockerResponse response, bool multiplexed) =>
        response.ReadAsync(async (stream, token) =>
        {
            var output = new ArrayBufferWriter<byte>();
            var demultiplexer = multiplexed ? new DockerLogDemultiplexer() : null;
            var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
            try
            {
                int read;
                while ((read = await stream.ReadAsync(buffer.AsMemory(0, ChunkSize), token)) > 0)
                {
                    if (demultiplexer is null)
                    {
                        output.Write(buffer.AsSpan(0, read));
                    }
                    else
                    {
                        demultiplexer.Write(buffer.AsSpan(0, read), output);
                    }
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            // Decoded once at the end, so a character split across frames or reads stays whole.
            return Encoding.UTF8.GetString(output.WrittenSpan);
        });
}

using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using GpuRouter.Docker;

namespace Router.Tests.Docker;

public sealed class DockerLogDemultiplexerTests
{
    private static byte[] Frame(byte stream, string text)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        var frame = new byte[8 + payload.Length];
        frame[0] = stream;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)payload.Length);
        payload.CopyTo(frame, 8);
        return frame;
    }

    private static string Demultiplex(params byte[][] chunks)
    {
        var demultiplexer = new DockerLogDemultiplexer();
        var output = new ArrayBufferWriter<byte>();
        foreach (var chunk in chunks)
        {
            demultiplexer.Write(chunk, output);
        }

        Assert.True(demultiplexer.IsAtFrameBoundary);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    [Fact]
    public void Write_InterleavedStdoutAndStderr_PayloadsInArrivalOrder()
    {
        byte[] stream = [.. Frame(1, "out 1\n"), .. Frame(2, "err 1\n"), .. Frame(1, "out 2\n")];

        Assert.Equal("out 1\nerr 1\nout 2\n", Demultiplex(stream));
    }

    [Fact]
    public void Write_SplitAtEveryOffset_SameText()
    {
        byte[] stream = [.. Frame(1, "héllo\n"), .. Frame(2, "wörld\n"), .. Frame(1, "")];

        for (var split = 0; split <= stream.Length; split++)
        {
            Assert.Equal("héllo\nwörld\n", Demultiplex(stream[..split], stream[split..]));
        }
    }

    [Fact]
    public void Write_OneByteAtATime_SameText()
    {
        byte[] stream = [.. Frame(2, "a"), .. Frame(1, "bc\n")];

        Assert.Equal("abc\n", Demultiplex(stream.Select(b => new[] { b }).ToArray()));
    }

    [Fact]
    public void Write_StdinFrame_Dropped() =>
        Assert.Equal("kept\n", Demultiplex([.. Frame(0, "typed\n"), .. Frame(1, "kept\n")]));

    [Fact]
    public void Write_FrameLargerThan64KiB_SizeReadBigEndian()
    {
        var big = new string('x', 70_000);

        Assert.Equal(big + "end", Demultiplex([.. Frame(1, big), .. Frame(2, "end")]));
    }

    [Fact]
    public void Write_StreamCutInsideFrame_NotAtFrameBoundary()
    {
        var demultiplexer = new DockerLogDemultiplexer();
        var output = new ArrayBufferWriter<byte>();

        demultiplexer.Write(Frame(1, "partial")[..10], output);

        Assert.False(demultiplexer.IsAtFrameBoundary);
        Assert.Equal("pa", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Write_RawTextInsteadOfFrames_ThrowsInvalidData()
    {
        var demultiplexer = new DockerLogDemultiplexer();

        Assert.Throws<InvalidDataException>(() => demultiplexer.Write("hello, world\n"u8, new ArrayBufferWriter<byte>()));
    }
}

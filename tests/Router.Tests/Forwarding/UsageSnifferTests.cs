using System.Text;
using GpuRouter.Forwarding;

namespace Router.Tests.Forwarding;

public class UsageSnifferTests
{
    private const string ChatBody = """{"id":"x","choices":[{"message":{"content":"\"prompt_tokens\": 999 is text"}}],"usage":{"prompt_tokens":17,"total_tokens":42,"completion_tokens":25}}""";

    [Fact]
    public void Feed_WholeBody_ReadsUsage()
    {
        var sniffer = new UsageSniffer();
        sniffer.Feed(Encoding.UTF8.GetBytes(ChatBody));
        Assert.Equal(new UsageCounts(17, 25), sniffer.Counts);
    }

    [Fact]
    public void Feed_SplitAtEveryByte_ReadsTheSameUsage()
    {
        var bytes = Encoding.UTF8.GetBytes(ChatBody);
        for (var size = 1; size < 40; size++)
        {
            var sniffer = new UsageSniffer();
            for (var i = 0; i < bytes.Length; i += size) sniffer.Feed(bytes.AsSpan(i, Math.Min(size, bytes.Length - i)));
            Assert.Equal(new UsageCounts(17, 25), sniffer.Counts);
        }
    }

    [Fact]
    public void Feed_SseWithFinalUsageChunk_ReadsIt()
    {
        var sse = "data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\n\n" +
                  "data: {\"choices\":[],\"usage\":{\"prompt_tokens\": 5, \"completion_tokens\": 64}}\n\ndata: [DONE]\n\n";
        var sniffer = new UsageSniffer();
        sniffer.Feed(Encoding.UTF8.GetBytes(sse));
        Assert.Equal(new UsageCounts(5, 64), sniffer.Counts);
    }

    [Fact]
    public void Feed_ResponsesApiUsage_ReadsInputAndOutputTokens()
    {
        var sniffer = new UsageSniffer();
        sniffer.Feed("""{"usage":{"input_tokens":8,"output_tokens":3,"total_tokens":11}}"""u8);
        Assert.Equal(new UsageCounts(8, 3), sniffer.Counts);
    }

    [Fact]
    public void Feed_NoUsage_ReportsNothing()
    {
        var sniffer = new UsageSniffer();
        sniffer.Feed("""{"data":[{"embedding":[0.1,0.2]}],"""u8);
        Assert.False(sniffer.Counts.Reported);
    }
}

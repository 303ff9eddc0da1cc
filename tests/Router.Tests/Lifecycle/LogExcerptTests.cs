using GpuRouter.Lifecycle;

namespace Router.Tests.Lifecycle;

public class LogExcerptTests
{
    [Fact]
    public void Relevant_PythonTraceback_EndsWithTheException()
    {
        const string logs = "INFO loading\nTraceback (most recent call last):\n  File \"x.py\", line 1\ntorch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB\n";
        Assert.Equal("torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB", LogExcerpt.Relevant(logs));
    }

    [Fact]
    public void Relevant_ErrorAboveAUsageText_KeepsTheErrorAndTheLastLine()
    {
        const string logs = "vllm-sim: error: --max-num-seqs must be a whole number, got 'many'\nusage: vllm-sim [MODEL]\n  --log-level LEVEL  debug, info, warning (default), error\n";
        Assert.Equal("vllm-sim: error: --max-num-seqs must be a whole number, got 'many' | --log-level LEVEL  debug, info, warning (default), error", LogExcerpt.Relevant(logs));
    }

    [Fact]
    public void Relevant_NoOutput_SaysSo() => Assert.Equal("(no output)", LogExcerpt.Relevant("\n \n"));
}

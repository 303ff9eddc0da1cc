using System.Text;
using GpuRouter.Requests;

namespace Router.Tests.Requests;

public class ModelRewriterTests
{
    [Theory]
    [InlineData("""{"model":"llama","messages":[{"role":"user","content":"hi"}]}""", """{"model":"qwen-72b","messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("""{"messages":[{"model":"keep","content":"x"}], "model" : "llama" ,"stream":true}""", """{"messages":[{"model":"keep","content":"x"}], "model" : "qwen-72b" ,"stream":true}""")]
    [InlineData("""{"metadata":{"model":"inner"},"model":"llama"}""", """{"metadata":{"model":"inner"},"model":"qwen-72b"}""")]
    public void Replace_TopLevelModel_ChangesOnlyThatValue(string body, string expected) =>
        Assert.Equal(expected, Encoding.UTF8.GetString(ModelRewriter.Replace(Encoding.UTF8.GetBytes(body), "qwen-72b")));
}

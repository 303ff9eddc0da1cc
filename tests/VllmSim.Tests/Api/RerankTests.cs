using System.Net;
using VllmSim.Tests.Support;

namespace VllmSim.Tests.Api;

public sealed class RerankTests
{
    private const string Request = """
        {"model":"test-model","query":"red apple pie","documents":["blue sky","red apple pie recipe",{"text":"apple tree"}]}
        """;

    [Theory]
    [InlineData("/rerank")]
    [InlineData("/v1/rerank")]
    [InlineData("/v2/rerank")]
    public async Task Rerank_EveryPath_ReturnsResultsSortedByRelevance(string path)
    {
        await using var sim = await Sim.StartAsync();

        var (status, body) = await sim.Client.PostJsonAsync(path, Request);

        Assert.Equal(HttpStatusCode.OK, status);
        var results = body.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal([1, 2, 0], results.Select(r => r.GetProperty("index").GetInt32()));
        var scores = results.Select(r => r.GetProperty("relevance_score").GetDouble()).ToList();
        Assert.Equal(scores.OrderDescending(), scores);
        Assert.All(scores, s => Assert.InRange(s, 0.0, 1.0));
        Assert.Equal("red apple pie recipe", results[0].GetProperty("document").GetProperty("text").GetString());
        Assert.True(body.GetProperty("usage").GetProperty("total_tokens").GetInt32() > 0);
        Assert.StartsWith("rerank-", body.GetProperty("id").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rerank_TopN_ReturnsOnlyTheBest()
    {
        await using var sim = await Sim.StartAsync();

        var (_, body) = await sim.Client.PostJsonAsync("/v1/rerank", """{"query":"red apple pie","documents":["blue sky","red apple pie recipe","apple tree"],"top_n":1}""");

        Assert.Equal(1, body.GetProperty("results").GetArrayLength());
        Assert.Equal(1, body.GetProperty("results")[0].GetProperty("index").GetInt32());
    }
}

using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json;
using VllmSim.Engine;
using VllmSim.Tests.Support;

namespace VllmSim.Tests.Api;

public sealed class EmbeddingsTests
{
    private static double[] Vector(JsonElement item) => [.. item.GetProperty("embedding").EnumerateArray().Select(v => v.GetDouble())];

    [Fact]
    public async Task Embeddings_StringInput_ReturnsUnitVectorOfTheConfiguredSize()
    {
        await using var sim = await Sim.StartAsync(o => o.EmbeddingDim = 64);

        var (status, body) = await sim.Client.PostJsonAsync("/v1/embeddings", """{"model":"test-model","input":"hello world"}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("list", body.GetProperty("object").GetString());
        var item = body.GetProperty("data")[0];
        Assert.Equal("embedding", item.GetProperty("object").GetString());
        var vector = Vector(item);
        Assert.Equal(64, vector.Length);
        Assert.Equal(1.0, Math.Sqrt(vector.Sum(v => v * v)), 4);
        Assert.Equal(SimTokenizer.Count("hello world"), body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(SimTokenizer.Count("hello world"), body.GetProperty("usage").GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task Embeddings_ListInput_SameTextSameVectorOtherTextOrthogonalish()
    {
        await using var sim = await Sim.StartAsync();

        var (_, body) = await sim.Client.PostJsonAsync("/v1/embeddings", """{"input":["alpha","alpha","beta"]}""");

        var vectors = body.GetProperty("data").EnumerateArray().Select(Vector).ToList();
        Assert.Equal([0, 1, 2], body.GetProperty("data").EnumerateArray().Select(d => d.GetProperty("index").GetInt32()));
        Assert.Equal(vectors[0], vectors[1]);
        Assert.InRange(vectors[0].Zip(vectors[2], (a, b) => a * b).Sum(), -0.2, 0.2);
        Assert.Equal(1024, vectors[0].Length);
    }

    [Fact]
    public async Task Embeddings_Base64_DecodesToTheFloatVector()
    {
        await using var sim = await Sim.StartAsync(o => o.EmbeddingDim = 16);

        var (_, floats) = await sim.Client.PostJsonAsync("/v1/embeddings", """{"input":"x"}""");
        var (_, encoded) = await sim.Client.PostJsonAsync("/v1/embeddings", """{"input":"x","encoding_format":"base64"}""");

        var bytes = Convert.FromBase64String(encoded.GetProperty("data")[0].GetProperty("embedding").GetString()!);
        var decoded = MemoryMarshal.Cast<byte, float>(bytes).ToArray().Select(f => (double)f).ToArray();
        Assert.Equal(Vector(floats.GetProperty("data")[0]).Select(v => Math.Round(v, 5)), decoded.Select(v => Math.Round(v, 5)));
    }

    [Fact]
    public async Task Embeddings_Dimensions_ReturnsShorterUnitVector()
    {
        await using var sim = await Sim.StartAsync();

        var (_, body) = await sim.Client.PostJsonAsync("/v1/embeddings", """{"input":"x","dimensions":32}""");

        var vector = Vector(body.GetProperty("data")[0]);
        Assert.Equal(32, vector.Length);
        Assert.Equal(1.0, Math.Sqrt(vector.Sum(v => v * v)), 4);
    }
}

using GpuRouter.Capacity;

namespace Router.Tests.Capacity;

/// <summary>Parameter counts from the catalog's real config.json files against their published sizes.</summary>
public sealed class WeightEstimatorTests
{
    private static ModelArchitecture Read(string repo)
    {
        var model = ModelConfigReader.Parse(File.ReadAllText(Path.Combine(TestHfCache.Fixture(repo), "config.json")), out var error);
        Assert.Null(error);
        return model!;
    }

    [Fact]
    public void Llama31_8B_CountsExactlyWhatItsSafetensorsIndexSays()
    {
        var llama = Read("meta-llama/Llama-3.1-8B-Instruct");

        Assert.Equal(ModelFamily.Llama, llama.Family);
        Assert.Equal(128, llama.HeadDim);
        Assert.Equal(16_060_522_496, WeightEstimator.FromDimensions(llama, LoadDtype.Bytes(llama, [])));
    }

    [Theory]
    [InlineData("Qwen/Qwen2.5-Coder-7B-Instruct")]
    [InlineData("deepseek-ai/DeepSeek-R1-Distill-Qwen-7B")]
    public void Qwen2_7B_CountsItsBiasesToThePublished7_62BillionParameters(string repo)
    {
        var qwen = Read(repo);

        Assert.Equal(ModelFamily.Qwen2, qwen.Family);
        Assert.Equal(7_615_616_512L * 2, WeightEstimator.FromDimensions(qwen, 2));
    }

    [Fact]
    public void Qwen72B_Awq_PacksFourBitWeightsWithScalesAndZerosAndKeepsEmbeddingsInFloat16()
    {
        var qwen = Read("Qwen/Qwen2.5-72B-Instruct-AWQ");

        // By hand: 80 layers x 880,803,840 linear weights at 4 bits plus an fp16 scale and a 4-bit zero
        // per 128 = 36,608,409,600 bytes; embeddings and lm_head 2 x 152,064 x 8,192 x 2 = 4,982,833,152;
        // q/k/v biases 80 x 10,240 x 2 = 1,638,400; norms (80 x 2 + 1) x 8,192 x 2 = 2,637,824.
        Assert.Equal(new QuantizationScheme("awq", 4, 128, true), qwen.Quantization);
        Assert.Equal(2, LoadDtype.Bytes(qwen, []));
        Assert.Equal(36_608_409_600L + 4_982_833_152 + 1_638_400 + 2_637_824, WeightEstimator.FromDimensions(qwen, 2));
    }

    [Theory]
    [InlineData("BAAI/bge-m3", 567_754_752)]
    [InlineData("BAAI/bge-reranker-v2-m3", 567_755_777)]
    public void Bge_XlmRobertaLarge_568MillionParametersServedInFloat16(string repo, long parameters)
    {
        var bge = Read(repo);

        Assert.True(bge.IsEncoderOnly);
        Assert.Equal(8192, bge.DefaultMaxModelLen);
        Assert.Equal(2, LoadDtype.Bytes(bge, []));
        Assert.Equal(4, LoadDtype.Bytes(bge, ["--dtype", "float32"]));
        Assert.Equal(parameters * 2, WeightEstimator.FromDimensions(bge, 2));
    }

    [Fact]
    public void Parse_NotJson_IsAReasonNotAnException()
    {
        Assert.Null(ModelConfigReader.Parse("{ not json", out var error));
        Assert.StartsWith("config.json is not valid JSON", error, StringComparison.Ordinal);
    }
}

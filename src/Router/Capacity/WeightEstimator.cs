namespace GpuRouter.Capacity;

/// <summary>
/// Bytes of a model's weights as vLLM holds them, counted from config.json's dimensions: used
/// when the safetensors files are not in the cache yet. Checked against published sizes in the
/// tests (Llama-3.1-8B: 16,060,522,496 bytes; Qwen2.5-7B: 7.62 B parameters).
/// </summary>
public static class WeightEstimator
{
    /// <summary>All GPUs together; null for a family whose shape is not known here.</summary>
    public static long? FromDimensions(ModelArchitecture a, int loadBytes) => a.Family switch
    {
        ModelFamily.Llama or ModelFamily.Qwen2 => Decoder(a, loadBytes),
        ModelFamily.XlmRoberta => Encoder(a) * loadBytes,
        _ => null,
    };

    private static long Decoder(ModelArchitecture a, int loadBytes)
    {
        long h = a.HiddenSize, q = a.AttentionHeads * a.HeadDim, kv = a.KvHeads * a.HeadDim;
        // Per layer: q, k, v and o projections, then gate, up and down.
        var linear = (h * q) + (2 * h * kv) + (q * h) + (3 * h * a.IntermediateSize);
        var other = 2 * h + (a.Family == ModelFamily.Qwen2 ? q + 2 * kv : 0); // two norms; Qwen2's q/k/v biases
        var embeddings = a.VocabSize * h * (a.TiedEmbeddings ? 1 : 2);
        var unquantized = (a.Layers * other) + h + embeddings; // + the final norm; embeddings and lm_head stay 16-bit
        return (a.Layers * LinearBytes(linear, a.Quantization, loadBytes)) + (unquantized * loadBytes);
    }

    // AWQ packs 32/bits weights in an int32 (qweight), adds a 16-bit scale per group and output
    // (scales) and a packed zero per group and output (qzeros); GPTQ stores the same three.
    private static long LinearBytes(long parameters, QuantizationScheme? scheme, int loadBytes)
    {
        if (scheme is not { IsPackedInt: true }) return parameters * loadBytes;
        var group = scheme.GroupSize > 0 ? scheme.GroupSize : 128;
        var packed = parameters * scheme.Bits / 8;
        var scales = parameters * 2 / group;
        var zeros = scheme.ZeroPoint || scheme.Method == "gptq" ? parameters * scheme.Bits / (8 * group) : 0;
        return packed + scales + zeros;
    }

    private static long Encoder(ModelArchitecture a)
    {
        long h = a.HiddenSize, i = a.IntermediateSize;
        var embeddings = (a.VocabSize + a.MaxPositions + a.TypeVocabSize) * h + 2 * h;
        // Per layer: q, k, v, o with biases, two layer norms, the feed-forward pair with biases.
        var layer = 4 * (h * h + h) + 4 * h + (h * i + i) + (i * h + h);
        // XLMRobertaModel ends in a pooler; the classifier of a reranker is a dense layer and a projection.
        var head = a.Architecture.EndsWith("ForSequenceClassification", StringComparison.Ordinal)
            ? (h * h + h) + (h * a.Labels + a.Labels)
            : h * h + h;
        return embeddings + a.Layers * layer + head;
    }
}

namespace GpuRouter.Capacity;

/// <summary>The families whose parameters the check can count from config.json's dimensions.</summary>
public enum ModelFamily
{
    /// <summary>LlamaForCausalLM and look-alikes: no attention biases.</summary>
    Llama,

    /// <summary>Qwen2ForCausalLM: Llama's shape plus biases on q, k and v.</summary>
    Qwen2,

    /// <summary>XLMRobertaModel (BGE-M3) and XLMRobertaForSequenceClassification (BGE rerankers): encoder-only, no KV cache.</summary>
    XlmRoberta,

    /// <summary>Some other architecture: its size comes only from the safetensors files.</summary>
    Other,
}

/// <summary>The parts of a model's config.json the memory check reads.</summary>
public sealed record ModelArchitecture
{
    public required string Architecture { get; init; }
    public required ModelFamily Family { get; init; }
    public required long HiddenSize { get; init; }
    public required long IntermediateSize { get; init; }
    public required long Layers { get; init; }
    public required long AttentionHeads { get; init; }
    public required long KvHeads { get; init; }
    public required long HeadDim { get; init; }
    public required long VocabSize { get; init; }
    public long MaxPositions { get; init; }
    public long TypeVocabSize { get; init; }
    public long Labels { get; init; } = 1;
    public bool TiedEmbeddings { get; init; }

    /// <summary><c>torch_dtype</c> (or <c>dtype</c> in newer files): how the weights are stored.</summary>
    public string StoredDtype { get; init; } = "bfloat16";

    public QuantizationScheme? Quantization { get; init; }

    /// <summary>Encoder-only models keep no KV cache: vLLM allocates none for them.</summary>
    public bool IsEncoderOnly => Family == ModelFamily.XlmRoberta;

    /// <summary>The longest sequence vLLM accepts without --max-model-len (RoBERTa's positions start after the padding index).</summary>
    public long DefaultMaxModelLen => Family == ModelFamily.XlmRoberta ? MaxPositions - 2 : MaxPositions;
}

/// <summary><c>quantization_config</c>: AWQ or GPTQ packing of the linear layers.</summary>
/// <param name="Method"><c>awq</c>, <c>gptq</c>, or another method (whose size comes only from the files).</param>
public sealed record QuantizationScheme(string Method, int Bits, int GroupSize, bool ZeroPoint)
{
    public bool IsPackedInt => Method is "awq" or "gptq";
}

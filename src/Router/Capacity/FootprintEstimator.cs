namespace GpuRouter.Capacity;

/// <summary>What one instance needs on each of its GPUs, in bytes, and where the weights' size came from.</summary>
public sealed record ModelFootprint(double WeightBytes, string WeightSource, double KvBytesPerToken, double OverheadBytes, long ContextTokens)
{
    public double KvBytes => KvBytesPerToken * ContextTokens;

    public double TotalBytes => WeightBytes + OverheadBytes + KvBytes;
}

/// <summary>
/// vLLM's accounting, as its worker does it at start-up: the share (gpu-memory-utilization x the
/// GPU's total) must hold the weights, the non-KV memory the profiling run measures (activation
/// peak, non-torch allocations, CUDA graphs), and at least max-model-len tokens of KV cache.
/// The overhead terms are estimates sized from vLLM's own start-up reports for 7-8B models
/// ("non_torch_memory takes 0.05-0.35GiB; PyTorch activation peak memory takes 0.22-1.24GiB").
/// </summary>
public static class FootprintEstimator
{
    public const double Gib = 1024.0 * 1024 * 1024;

    // cuBLAS workspaces and the like, counted by vLLM as non-torch memory inside the share.
    private const double NonTorchBytes = 0.25 * Gib;

    // NCCL's buffers when the model is split over GPUs.
    private const double CollectiveBytes = 0.25 * Gib;

    // Decode CUDA graphs; none with --enforce-eager, none for encoder-only pooling models.
    private const double CudaGraphBytes = 0.5 * Gib;

    // vLLM's max_num_batched_tokens for the OpenAI server on GPUs under 70 GiB (chunked prefill).
    private const int DefaultBatchedTokens = 2048;

    /// <summary>Null when neither the files nor the dimensions tell the weights' size, or config.json lacks the attention's dimensions.</summary>
    public static ModelFootprint? Estimate(ModelFiles files, IReadOnlyList<string> args, int tensorParallel, int? maxModelLen)
    {
        var a = files.Architecture;
        var tp = Math.Max(1, tensorParallel);
        var load = LoadDtype.Bytes(a, args);
        if (Weights(files, load) is not var (weights, source)) return null;
        // A decoder whose dimensions sit elsewhere (a multimodal model's text_config): its KV cache cannot be sized.
        if (!a.IsEncoderOnly && (a.Layers == 0 || a.KvHeads == 0 || a.HeadDim == 0)) return null;
        var context = maxModelLen ?? a.DefaultMaxModelLen;
        var kvPerToken = a.IsEncoderOnly ? 0.0
            : (double)a.Layers * Math.Max(1, (a.KvHeads + tp - 1) / tp) * a.HeadDim * 2 * LoadDtype.KvBytes(a, args);
        return new ModelFootprint(weights / tp, source, kvPerToken, Overhead(a, args, tp, load, context), context);
    }

    private static (double Bytes, string Source)? Weights(ModelFiles files, int load)
    {
        var a = files.Architecture;
        if ((files.IndexTotalBytes ?? files.WeightFileBytes) is { } stored)
        {
            // Quantized files load as they are; a float32 checkpoint is cast down to 16 bits.
            var bytes = a.Quantization is not null ? stored : (double)stored * load / LoadDtype.StoredBytes(a.StoredDtype);
            return (bytes, files.IndexTotalBytes is not null ? "model.safetensors.index.json" : "the weight files' sizes");
        }
        return a.Quantization is { IsPackedInt: false } ? null
            : WeightEstimator.FromDimensions(a, load) is { } counted ? (counted, "config.json's dimensions") : null;
    }

    private static double Overhead(ModelArchitecture a, IReadOnlyList<string> args, int tp, int load, long context)
    {
        var batched = int.TryParse(VllmFlags.Value(args, "--max-num-batched-tokens"), out var set) ? set
            : a.IsEncoderOnly ? context : DefaultBatchedTokens;
        // The profiling run's peak: the MLP's gate and up outputs plus a few hidden-size tensors per token.
        var activations = (double)batched * ((2 * a.IntermediateSize / tp) + (4 * a.HiddenSize)) * load * 2;
        var graphs = a.IsEncoderOnly || VllmFlags.Has(args, "--enforce-eager") ? 0 : CudaGraphBytes;
        return NonTorchBytes + (tp > 1 ? CollectiveBytes : 0) + graphs + activations;
    }
}

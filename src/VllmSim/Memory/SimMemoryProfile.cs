using System.Globalization;

namespace VllmSim.Memory;

/// <summary>How vLLM's start-up ended on the simulated GPU: the lines it logged and whether it gave up.</summary>
internal sealed record SimMemoryOutcome(bool Fails, string Summary, IReadOnlyList<string> ErrorLines);

/// <summary>
/// vLLM's memory profiling at start-up, on a GPU of <c>--sim-gpu-memory</c>: the share it may use
/// is gpu-memory-utilization x the memory CUDA reports; the weights and the profiling run's peak
/// come off it, and what is left is the KV cache. Nothing left: "No available memory for the
/// cache blocks". Less than max-model-len tokens of it: "To serve at least one request ...". Either
/// way the engine core fails and the server exits with 1 after loading, as vLLM does.
/// </summary>
internal static class SimMemoryProfile
{
    private const double Gib = 1024.0 * 1024 * 1024;

    // CUDA keeps part of the card for the driver: an RTX 3090's 24 GiB shows as 23.69 GiB.
    private const double CudaVisible = 0.987;

    // The profiling run's peak beyond the weights on a 7-8B model (activations, CUDA graphs,
    // non-torch allocations): vLLM reports 1.2-1.8 GiB for such models on 24 GB cards.
    private const double ProfilePeak = 1.5 * Gib;

    private static readonly string[] EncoderTypes = ["xlm-roberta", "bert", "roberta"];

    /// <summary>Null when the GPU is not simulated or the model's files are not there (nothing to check).</summary>
    public static SimMemoryOutcome? Run(SimOptions options, Func<string, string?> environment)
    {
        if (options.SimGpuMemoryBytes is not { } card || SimModelFiles.Find(options.Model, environment) is not { } files) return null;
        if (EncoderTypes.Contains(files.Text("model_type"))) return null; // encoder-only: vLLM keeps no KV cache for it
        // vLLM's dtype "auto" keeps 16-bit checkpoints as they are and casts float32 ones down to 16 bits.
        var dtype = options.Dtype is "float" or "float32" ? 4 : 2;
        if (Weights(files, dtype) is not { } allWeights) return null;
        var tp = Math.Max(1, options.TensorParallelSize);
        var total = card * CudaVisible;
        var requested = total * options.GpuMemoryUtilization;
        var weights = allWeights / tp;
        var available = requested - weights - ProfilePeak;
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"Memory profiling: total_gpu_memory ({total / Gib:F2}GiB) x gpu_memory_utilization ({options.GpuMemoryUtilization:F2}) = {requested / Gib:F2}GiB; model weights take {weights / Gib:F2}GiB; Available KV cache memory: {available / Gib:F2} GiB");
        if (available <= 0)
        {
            return new SimMemoryOutcome(true, summary, ["ValueError: No available memory for the cache blocks. Try increasing `gpu_memory_utilization` when initializing the engine."]);
        }
        var heads = files.Number("num_attention_heads");
        var kvHeads = files.Number("num_key_value_heads") is > 0 and var kv ? kv : heads;
        var headDim = files.Number("head_dim") is > 0 and var hd ? hd : files.Number("hidden_size") / Math.Max(1, heads);
        var perToken = (double)files.Number("num_hidden_layers") * Math.Max(1, kvHeads / tp) * headDim * 2 * dtype;
        var needed = perToken * options.MaxModelLen;
        if (needed <= available) return new SimMemoryOutcome(false, summary, []);
        var estimate = (long)(available / perToken) / 16 * 16;
        return new SimMemoryOutcome(true, summary,
        [
            string.Create(CultureInfo.InvariantCulture,
                $"ValueError: To serve at least one request with the model's max seq len ({options.MaxModelLen}), ({needed / Gib:F2} GiB KV cache is needed, which is larger than the available KV cache memory ({available / Gib:F2} GiB). Based on the available memory, the estimated maximum model length is {estimate}. Try increasing `gpu_memory_utilization` or decreasing `max_model_len` when initializing the engine."),
        ]);
    }

    private static double? Weights(SimModelFiles files, int dtype)
    {
        if (files.WeightBytes is { } stored)
        {
            var storedBytes = files.Text("torch_dtype") is "float32" ? 4 : 2;
            return files.Quantized ? stored : (double)stored * dtype / storedBytes;
        }
        if (files.Quantized) return null; // packed weights: the files say, the dimensions do not
        long h = files.Number("hidden_size"), layers = files.Number("num_hidden_layers"), vocab = files.Number("vocab_size");
        var heads = files.Number("num_attention_heads");
        var headDim = files.Number("head_dim") is > 0 and var hd ? hd : h / Math.Max(1, heads);
        long q = heads * headDim, kv = (files.Number("num_key_value_heads") is > 0 and var k ? k : heads) * headDim;
        var perLayer = 2 * h * q + 2 * h * kv + 3 * h * files.Number("intermediate_size") + 2 * h
            + (files.Text("model_type") == "qwen2" ? q + 2 * kv : 0);
        var parameters = layers * perLayer + h + vocab * h * (files.Flag("tie_word_embeddings") ? 1 : 2);
        return (double)parameters * dtype;
    }
}

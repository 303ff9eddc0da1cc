namespace GpuRouter.Capacity;

/// <summary>
/// Bytes per value as vLLM holds the weights: <c>--dtype</c> when given; else the stored dtype,
/// with float32 checkpoints cast down to 16 bits (vLLM's "auto": float16 for pooling models such
/// as BGE, bfloat16 for the others); AWQ and GPTQ models compute in float16.
/// </summary>
public static class LoadDtype
{
    public static int Bytes(ModelArchitecture model, IReadOnlyList<string> args) =>
        VllmFlags.Value(args, "--dtype") switch
        {
            "half" or "float16" or "bfloat16" => 2,
            "float" or "float32" => 4,
            _ => model.Quantization is { IsPackedInt: true } ? 2 : Math.Min(StoredBytes(model.StoredDtype), 2),
        };

    public static int StoredBytes(string dtype) => dtype switch
    {
        "float32" or "float" => 4,
        "float8_e4m3fn" or "float8_e5m2" or "int8" or "uint8" => 1,
        _ => 2,
    };

    /// <summary>The KV cache's bytes per value: <c>--kv-cache-dtype fp8*</c> halves it, else the model's own.</summary>
    public static int KvBytes(ModelArchitecture model, IReadOnlyList<string> args) =>
        VllmFlags.Value(args, "--kv-cache-dtype") is { } kv && kv.StartsWith("fp8", StringComparison.Ordinal) ? 1 : Bytes(model, args);
}

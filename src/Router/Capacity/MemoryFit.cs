using GpuRouter.Instances;
using System.Globalization;
using GpuRouter.Configuration;

namespace GpuRouter.Capacity;

/// <summary>The verdict on one instance: does its share hold the model, with the numbers either way.</summary>
public sealed record MemoryVerdict(bool Fits, string Message);

/// <summary>
/// Whether an instance's share of its GPU holds its model: the decision and the words, with no
/// I/O, so start-up and <c>gpu-router check-config</c> give the same answer.
/// </summary>
public static class MemoryFit
{
    /// <param name="instance">The instance (its name, share and GPUs).</param>
    /// <param name="model">The model as the messages name it (the Hugging Face id).</param>
    /// <param name="footprint">What the model needs per GPU.</param>
    /// <param name="visibleBytes">The GPU's memory as vLLM sees it (the smallest of the instance's GPUs).</param>
    public static MemoryVerdict Judge(InstanceDefinition instance, string model, ModelFootprint footprint, double visibleBytes)
    {
        var budget = instance.GpuMemoryUtilization * visibleBytes;
        var share = instance.Gpus.Count == 1
            ? $"gpuMemoryUtilization {Share(instance.GpuMemoryUtilization)} of GPU {instance.GpuLabel}'s {ByteSize.Format(visibleBytes)} (as vLLM sees it) = {ByteSize.Format(budget)}"
            : $"gpuMemoryUtilization {Share(instance.GpuMemoryUtilization)} of each of GPUs {instance.GpuLabel} ({ByteSize.Format(visibleBytes)} as vLLM sees them) = {ByteSize.Format(budget)} per GPU";
        var needShare = Share(Math.Ceiling(footprint.TotalBytes / visibleBytes * 100) / 100);
        var baseline = footprint.WeightBytes + footprint.OverheadBytes;
        if (footprint.WeightBytes > budget)
        {
            return new MemoryVerdict(false,
                $"{instance.Name}: {share}, but {model} needs {ByteSize.Format(footprint.WeightBytes)} for its weights alone " +
                $"(from {footprint.WeightSource}); vLLM would stop with \"No available memory for the cache blocks\". " +
                Advice(footprint, visibleBytes, needShare));
        }
        if (footprint.KvBytesPerToken == 0)
        {
            return baseline <= budget
                ? new MemoryVerdict(true, $"{instance.Name}: {share} holds {model}: weights {ByteSize.Format(footprint.WeightBytes)} + overhead {ByteSize.Format(footprint.OverheadBytes)} (no KV cache: encoder-only)")
                : new MemoryVerdict(false, $"{instance.Name}: {share} cannot hold {model}: weights {ByteSize.Format(footprint.WeightBytes)} + overhead {ByteSize.Format(footprint.OverheadBytes)}. {Advice(footprint, visibleBytes, needShare)}");
        }
        var room = Math.Max(0, budget - baseline);
        var roomTokens = (long)(room / footprint.KvBytesPerToken);
        var sum = $"weights {ByteSize.Format(footprint.WeightBytes)} + overhead {ByteSize.Format(footprint.OverheadBytes)} + KV cache {ByteSize.Format(footprint.KvBytes)} for maxModelLen {Tokens(footprint.ContextTokens)}";
        if (footprint.TotalBytes <= budget)
            return new MemoryVerdict(true, $"{instance.Name}: {share} holds {model}: {sum}; KV room for {Tokens(roomTokens)} tokens");
        // Nothing left after the weights and the profiling peak is vLLM's first refusal; too little, its second.
        var vllmSays = room <= 0
            ? "\"No available memory for the cache blocks\""
            : $"\"To serve at least one request with the model's max seq len ({footprint.ContextTokens}) ... KV cache is needed, which is larger than the available KV cache memory\"";
        var shorter = roomTokens >= 1024 ? $"lower maxModelLen to {Tokens(roomTokens / 1024 * 1024)}" : null;
        var fix = (footprint.TotalBytes <= visibleBytes, shorter) switch
        {
            (true, { } lower) => $"Raise gpuMemoryUtilization to {needShare} or {lower}.",
            (true, null) => $"Raise gpuMemoryUtilization to {needShare}.",
            (false, { } lower) => $"No share of this GPU holds {Tokens(footprint.ContextTokens)} tokens: {lower} or less.",
            (false, null) => Advice(footprint, visibleBytes, needShare),
        };
        return new MemoryVerdict(false,
            $"{instance.Name}: {share} cannot hold {model}: {sum} = {ByteSize.Format(footprint.TotalBytes)}; it leaves {ByteSize.Format(room)} of KV cache, " +
            $"{Tokens(roomTokens)} tokens, and vLLM would stop with {vllmSays}. {fix}");
    }

    private static string Advice(ModelFootprint footprint, double visibleBytes, string needShare) =>
        footprint.TotalBytes <= visibleBytes
            ? $"Give it at least {needShare} (weights, overhead and {Tokens(footprint.ContextTokens)} tokens of KV cache), or use a quantized (AWQ/FP8) checkpoint."
            : "No share of this GPU holds it: use a quantized (AWQ/FP8) checkpoint, more GPUs (tensor parallel) or a smaller maxModelLen.";

    private static string Share(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Tokens(long tokens) => tokens.ToString("N0", CultureInfo.InvariantCulture);
}

using System.Text.Json;

namespace GpuRouter.Capacity;

/// <summary>Reads config.json as Hugging Face writes it; a file that is not one is a reason, not an exception.</summary>
public static class ModelConfigReader
{
    public static ModelArchitecture? Parse(string json, out string? error)
    {
        error = null;
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "config.json is not a JSON object";
                return null;
            }
            var architecture = root.TryGetProperty("architectures", out var list) && list.ValueKind == JsonValueKind.Array
                && list.GetArrayLength() > 0 && list[0].ValueKind == JsonValueKind.String
                ? list[0].GetString()!
                : Text(root, "model_type") ?? "unknown";
            var hidden = Number(root, "hidden_size");
            var heads = Number(root, "num_attention_heads");
            return new ModelArchitecture
            {
                Architecture = architecture,
                Family = FamilyOf(architecture),
                HiddenSize = hidden,
                IntermediateSize = Number(root, "intermediate_size"),
                Layers = Number(root, "num_hidden_layers"),
                AttentionHeads = heads,
                KvHeads = Number(root, "num_key_value_heads") is > 0 and var kv ? kv : heads,
                HeadDim = Number(root, "head_dim") is > 0 and var dim ? dim : heads > 0 ? hidden / heads : 0,
                VocabSize = Number(root, "vocab_size"),
                MaxPositions = Number(root, "max_position_embeddings"),
                TypeVocabSize = Number(root, "type_vocab_size"),
                Labels = root.TryGetProperty("id2label", out var labels) && labels.ValueKind == JsonValueKind.Object
                    ? Math.Max(1, labels.EnumerateObject().Count()) : 1,
                TiedEmbeddings = root.TryGetProperty("tie_word_embeddings", out var tied) && tied.ValueKind == JsonValueKind.True,
                StoredDtype = Text(root, "torch_dtype") ?? Text(root, "dtype") ?? "float32",
                Quantization = Quantization(root),
            };
        }
        catch (JsonException e)
        {
            error = $"config.json is not valid JSON: {e.Message}";
            return null;
        }
    }

    private static ModelFamily FamilyOf(string architecture) => architecture switch
    {
        "LlamaForCausalLM" or "MistralForCausalLM" => ModelFamily.Llama,
        "Qwen2ForCausalLM" => ModelFamily.Qwen2,
        "XLMRobertaModel" or "XLMRobertaForSequenceClassification" => ModelFamily.XlmRoberta,
        _ => ModelFamily.Other,
    };

    private static QuantizationScheme? Quantization(JsonElement root)
    {
        if (!root.TryGetProperty("quantization_config", out var q) || q.ValueKind != JsonValueKind.Object) return null;
        var method = (Text(q, "quant_method") ?? "unknown").ToLowerInvariant();
        var bits = (int)(Number(q, "bits") is > 0 and var b ? b : Number(q, "w_bit") is > 0 and var w ? w : 4);
        var group = (int)(Number(q, "group_size") is var g and (> 0 or -1) ? g : Number(q, "q_group_size") is > 0 and var qg ? qg : 128);
        var zeroPoint = !q.TryGetProperty("zero_point", out var zp) || zp.ValueKind != JsonValueKind.False;
        return new QuantizationScheme(method, bits, group, zeroPoint);
    }

    private static long Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : 0;

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

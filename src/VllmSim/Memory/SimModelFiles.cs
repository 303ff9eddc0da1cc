using System.Text.Json;

namespace VllmSim.Memory;

/// <summary>
/// What vLLM reads of a model before it loads it: config.json and the weight files, found where
/// huggingface_hub keeps them (<c>$HF_HUB_CACHE</c>, else <c>$HF_HOME/hub</c>, else
/// <c>~/.cache/huggingface/hub</c>), or in the model's own folder when the model is a path.
/// Written apart from the router's memory check on purpose: the simulator stands for vLLM.
/// </summary>
internal sealed record SimModelFiles(JsonElement Config, long? WeightBytes)
{
    public string Text(string name) =>
        Config.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";

    public long Number(string name) =>
        Config.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : 0;

    public bool Flag(string name) => Config.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    public bool Quantized => Config.TryGetProperty("quantization_config", out var q) && q.ValueKind == JsonValueKind.Object;

    /// <summary>Null when the model cannot be found: vLLM would download it, the simulator just runs.</summary>
    public static SimModelFiles? Find(string model, Func<string, string?> environment)
    {
        if (Folder(model, environment) is not { } folder) return null;
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "config.json")));
        return new SimModelFiles(document.RootElement.Clone(), Weights(folder));
    }

    private static string? Folder(string model, Func<string, string?> environment)
    {
        if (File.Exists(Path.Combine(model, "config.json"))) return model;
        var hub = environment("HF_HUB_CACHE") is { Length: > 0 } cache ? cache
            : Path.Combine(environment("HF_HOME") is { Length: > 0 } home ? home
                : Path.Combine(environment("HOME") is { Length: > 0 } user ? user : "/root", ".cache", "huggingface"), "hub");
        var repo = Path.Combine(hub, "models--" + model.Replace("/", "--", StringComparison.Ordinal));
        var main = Path.Combine(repo, "refs", "main");
        if (!File.Exists(main)) return null;
        var snapshot = Path.Combine(repo, "snapshots", File.ReadAllText(main).Trim());
        return File.Exists(Path.Combine(snapshot, "config.json")) ? snapshot : null;
    }

    // What the loader will put on the GPU: the index's total, else the safetensors files.
    private static long? Weights(string folder)
    {
        var index = Path.Combine(folder, "model.safetensors.index.json");
        if (File.Exists(index))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(index));
            if (document.RootElement.TryGetProperty("metadata", out var m) && m.TryGetProperty("total_size", out var t) && t.TryGetInt64(out var total))
            {
                return total;
            }
        }
        var files = Directory.GetFiles(folder, "*.safetensors");
        return files.Length == 0 ? null : files.Sum(f => new FileInfo(f).LinkTarget is null ? new FileInfo(f).Length
            : ((FileInfo)new FileInfo(f).ResolveLinkTarget(true)!).Length);
    }
}

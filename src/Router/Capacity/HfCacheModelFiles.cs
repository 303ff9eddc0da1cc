using System.Text.Json;

namespace GpuRouter.Capacity;

/// <summary>What the Hugging Face cache holds of one model: its config and, where downloaded, its weights' size.</summary>
/// <param name="IndexTotalBytes"><c>metadata.total_size</c> of model.safetensors.index.json (sharded checkpoints).</param>
/// <param name="WeightFileBytes">The sizes of the *.safetensors files (else pytorch_model*.bin) in the snapshot.</param>
public sealed record ModelFiles(string Snapshot, ModelArchitecture Architecture, long? IndexTotalBytes, long? WeightFileBytes);

/// <summary>
/// Finds a model in the cache the way huggingface_hub lays it out and vLLM reads it:
/// <c>{hfCache}/hub/models--ORG--NAME/snapshots/REV/</c>, REV being what <c>refs/main</c> names.
/// </summary>
public static class HfCacheModelFiles
{
    public static string RepoDirectory(string hfCache, string hfModel) =>
        Path.Combine(hfCache, "hub", "models--" + hfModel.Replace("/", "--", StringComparison.Ordinal));

    /// <summary>Null with a reason when there is no usable config.json (the model was never downloaded).</summary>
    public static ModelFiles? Read(string hfCache, string hfModel, out string reason)
    {
        var repo = RepoDirectory(hfCache, hfModel);
        if (Snapshot(repo) is not { } snapshot)
        {
            reason = $"no config.json under {Path.Combine(repo, "snapshots")} (not downloaded yet: vLLM downloads it on the first start)";
            return null;
        }
        var architecture = ModelConfigReader.Parse(File.ReadAllText(Path.Combine(snapshot, "config.json")), out var error);
        if (architecture is null)
        {
            reason = $"{Path.Combine(snapshot, "config.json")}: {error}";
            return null;
        }
        reason = "";
        return new ModelFiles(snapshot, architecture, IndexTotal(snapshot), WeightFiles(snapshot));
    }

    private static string? Snapshot(string repo)
    {
        var snapshots = Path.Combine(repo, "snapshots");
        if (!Directory.Exists(snapshots)) return null;
        var main = Path.Combine(repo, "refs", "main");
        if (File.Exists(main) && Path.Combine(snapshots, File.ReadAllText(main).Trim()) is var pinned && HasConfig(pinned)) return pinned;
        // No refs/main (a cache filled by hand or by another tool): the newest snapshot with a config.
        return Directory.EnumerateDirectories(snapshots).Where(HasConfig)
            .OrderByDescending(Directory.GetLastWriteTimeUtc).FirstOrDefault();
    }

    private static bool HasConfig(string snapshot) => File.Exists(Path.Combine(snapshot, "config.json"));

    private static long? IndexTotal(string snapshot)
    {
        var index = Path.Combine(snapshot, "model.safetensors.index.json");
        if (!File.Exists(index)) return null;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(index));
            return document.RootElement.TryGetProperty("metadata", out var metadata)
                && metadata.TryGetProperty("total_size", out var total) && total.TryGetInt64(out var bytes) && bytes > 0
                ? bytes : null;
        }
        catch (JsonException)
        {
            return null; // a broken index: the file sizes or the dimensions still answer
        }
    }

    // Snapshot entries are symlinks into blobs/; the size wanted is the blob's.
    private static long? WeightFiles(string snapshot)
    {
        foreach (var pattern in new[] { "*.safetensors", "pytorch_model*.bin" })
        {
            var files = Directory.GetFiles(snapshot, pattern);
            if (files.Length > 0) return files.Sum(Size);
        }
        return null;
    }

    private static long Size(string path)
    {
        var file = new FileInfo(path);
        var target = file.LinkTarget is null ? file : file.ResolveLinkTarget(returnFinalTarget: true) as FileInfo;
        return target is { Exists: true } ? target.Length : 0; // a dangling link: a download still under way
    }
}

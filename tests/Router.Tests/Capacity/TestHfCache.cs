namespace Router.Tests.Capacity;

/// <summary>
/// A Hugging Face cache in a temporary folder, laid out as huggingface_hub lays it out
/// (<c>hub/models--ORG--NAME/refs/main</c>, <c>snapshots/REV/</c> entries linking into <c>blobs/</c>),
/// holding the catalog's real config.json files (Fixtures/HfConfigs).
/// </summary>
internal sealed class TestHfCache : IDisposable
{
    public const string Revision = "0123456789abcdef0123456789abcdef01234567";

    public static readonly string[] Catalog =
    [
        "meta-llama/Llama-3.1-8B-Instruct", "Qwen/Qwen2.5-Coder-7B-Instruct", "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B",
        "BAAI/bge-m3", "BAAI/bge-reranker-v2-m3", "Qwen/Qwen2.5-72B-Instruct-AWQ",
    ];

    public TestHfCache()
    {
        Root = Directory.CreateTempSubdirectory("hf-cache-").FullName;
    }

    /// <summary>The folder to give as docker.hfCache (or HF_HOME to the simulator).</summary>
    public string Root { get; }

    public static string Fixture(string repo) =>
        System.IO.Path.Combine(RepoRoot.Path, "tests", "Router.Tests", "Fixtures", "HfConfigs", repo.Replace("/", "--", StringComparison.Ordinal));

    /// <summary>Adds a model's fixture files; <paramref name="weightFiles"/> are sparse blobs of those sizes (nothing is written).</summary>
    public TestHfCache Add(string repo, params long[] weightFiles)
    {
        var folder = System.IO.Path.Combine(Root, "hub", "models--" + repo.Replace("/", "--", StringComparison.Ordinal));
        var snapshot = Directory.CreateDirectory(System.IO.Path.Combine(folder, "snapshots", Revision)).FullName;
        var blobs = Directory.CreateDirectory(System.IO.Path.Combine(folder, "blobs")).FullName;
        Directory.CreateDirectory(System.IO.Path.Combine(folder, "refs"));
        File.WriteAllText(System.IO.Path.Combine(folder, "refs", "main"), Revision);
        foreach (var file in Directory.GetFiles(Fixture(repo), "*.json"))
            Link(blobs, snapshot, System.IO.Path.GetFileName(file), blob => File.Copy(file, blob));
        for (var i = 0; i < weightFiles.Length; i++)
        {
            var size = weightFiles[i];
            Link(blobs, snapshot, $"model-{i + 1:00000}-of-{weightFiles.Length:00000}.safetensors", blob =>
            {
                using var stream = File.Create(blob);
                stream.SetLength(size);
            });
        }
        return this;
    }

    public TestHfCache AddCatalog()
    {
        foreach (var repo in Catalog) Add(repo);
        return this;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);

    // Snapshot entries are relative symlinks to blobs named by their hash, as huggingface_hub makes them.
    private static void Link(string blobs, string snapshot, string name, Action<string> write)
    {
        var blob = System.IO.Path.Combine(blobs, Guid.NewGuid().ToString("N"));
        write(blob);
        File.CreateSymbolicLink(System.IO.Path.Combine(snapshot, name), System.IO.Path.Combine("..", "..", "blobs", System.IO.Path.GetFileName(blob)));
    }
}

using GpuRouter.Capacity;
using GpuRouter.Configuration;
using GpuRouter.Gpu;
using GpuRouter.Hosting;
using GpuRouter.Instances;

namespace Router.Tests.Capacity;

/// <summary>The start-up memory check over the catalog's real config.json files.</summary>
public sealed class ModelMemoryCheckTests : IDisposable
{
    private readonly TestHfCache _cache = new();

    public void Dispose() => _cache.Dispose();

    private static ModelMemoryCheck Check(IReadOnlyDictionary<int, long>? nvml = null) => new(_ => nvml);

    private RouterConfig Load(string yaml, ModelMemoryCheck? check = null, Func<string, string?>? env = null) =>
        ConfigLoader.Load(yaml.Replace("HF_CACHE", _cache.Root, StringComparison.Ordinal), "test.yaml", env ?? (name => "key-" + name), [Checking(check ?? Check())]);

    // The seam start-up uses: the check over the config valid so far.
    private static ConfigCheck Checking(ModelMemoryCheck check) =>
        config => check.Check(new ModelsOptions(config.Models), new GpuOptions(config.Gpus), config.Docker, config.Nvml);

    private static string Llama(string instances, string gpus = "memory: 24GiB") => $$"""
        docker: { hfCache: HF_CACHE }
        gpus:
          - { index: 0, {{gpus}} }
          - { index: 1, {{gpus}} }
        models:
          - name: llama
            hfModel: meta-llama/Llama-3.1-8B-Instruct
            instances:
        {{instances}}
        """;

    [Fact]
    public void ShippedRouterConfig_EveryInstanceFitsWithTheCatalogsConfigFiles()
    {
        _cache.AddCatalog();
        var yaml = File.ReadAllText(Path.Combine(RepoRoot.Path, "config", "router.yaml"))
            .Replace("hfCache: /srv/hf-cache", "hfCache: HF_CACHE", StringComparison.Ordinal);

        var settings = Load(yaml);

        foreach (var instance in settings.Instances)
            Assert.Contains(settings.Notes, n => n.StartsWith(instance.Name + ": ", StringComparison.Ordinal) && n.Contains(" holds ", StringComparison.Ordinal));
    }

    [Fact]
    public void ShareBelowTheWeights_IsAConfigErrorNamingTheInstanceAndTheNumbers()
    {
        _cache.Add("meta-llama/Llama-3.1-8B-Instruct");

        var e = Assert.Throws<ConfigException>(() => Load(Llama(
            "      - { name: llama_1, gpus: [1], maxModelLen: 8192, gpuMemoryUtilization: 0.60 }")));

        var error = Assert.Single(e.Errors);
        Assert.StartsWith("llama_1: gpuMemoryUtilization 0.60 of GPU 1's 23.69 GiB (as vLLM sees it) = 14.21 GiB, but meta-llama/Llama-3.1-8B-Instruct needs 14.96 GiB for its weights alone (from model.safetensors.index.json)", error, StringComparison.Ordinal);
        Assert.Contains("No available memory for the cache blocks", error, StringComparison.Ordinal);
        Assert.Contains("Give it at least 0.72", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ContextTheShareCannotHold_SaysHowManyTokensFitAndWhatWouldDo()
    {
        _cache.Add("meta-llama/Llama-3.1-8B-Instruct");

        var e = Assert.Throws<ConfigException>(() => Load(Llama(
            "      - { name: llama_0, gpus: [0], gpuMemoryUtilization: 0.90 }"))); // no maxModelLen: the model's 131072

        var error = Assert.Single(e.Errors);
        Assert.Contains("KV cache 16.00 GiB for maxModelLen 131,072", error, StringComparison.Ordinal);
        Assert.Contains("KV cache is needed, which is larger than the available KV cache memory", error, StringComparison.Ordinal);
        Assert.Contains("lower maxModelLen to 43,008", error, StringComparison.Ordinal);
        Assert.Contains("No share of this GPU holds 131,072 tokens: lower maxModelLen to", Assert.Throws<ConfigException>(() => Load(Llama(
            "      - { name: llama_0, gpus: [0], gpuMemoryUtilization: 0.99 }"))).Errors.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void WeightsFitButNotTheOverhead_IsVllmsFirstRefusal_AndOnlyTheShareCanFixIt()
    {
        _cache.Add("meta-llama/Llama-3.1-8B-Instruct");

        var e = Assert.Throws<ConfigException>(() => Load(Llama(
            "      - { name: llama_1, gpus: [1], maxModelLen: 8192, gpuMemoryUtilization: 0.64 }")));

        var error = Assert.Single(e.Errors);
        Assert.Contains("it leaves 0.00 GiB of KV cache, 0 tokens, and vLLM would stop with \"No available memory for the cache blocks\". Raise gpuMemoryUtilization to 0.72.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void MemoryErrors_AreReportedWithTheFilesOtherErrorsAtOnce()
    {
        _cache.Add("meta-llama/Llama-3.1-8B-Instruct");

        var e = Assert.Throws<ConfigException>(() => Load(Llama(
            "      - { name: llama_1, gpus: [1], maxModelLen: 8192, gpuMemoryUtilization: 0.60 }\n" +
            "      - { name: broken, gpus: [7] }")));

        Assert.Equal(2, e.Errors.Count);
        Assert.Contains(e.Errors, x => x.StartsWith("models[0].instances[1].gpus: GPU 7", StringComparison.Ordinal));
        Assert.Contains(e.Errors, x => x.StartsWith("llama_1: ", StringComparison.Ordinal));
    }

    [Fact]
    public void SkipMemoryCheck_TurnsItOffForThatInstance()
    {
        _cache.Add("meta-llama/Llama-3.1-8B-Instruct");

        var settings = Load(Llama(
            "      - { name: llama_1, gpus: [1], maxModelLen: 8192, gpuMemoryUtilization: 0.60, skipMemoryCheck: true }"));

        Assert.Empty(settings.Notes);
    }

    [Fact]
    public void InstanceOnAnotherHost_IsSkippedSayingSo_TheLocalOnesStillChecked()
    {
        _cache.Add("meta-llama/Llama-3.1-8B-Instruct");
        var tls = Path.Combine(_cache.Root, "tls.pem");
        File.WriteAllText(tls, "");
        var yaml = Llama(
            "      - { name: llama_dgx, host: dgx, gpus: [1], maxModelLen: 8192, gpuMemoryUtilization: 0.30 }\n" +
            "      - { name: llama_1, gpus: [1], maxModelLen: 8192, gpuMemoryUtilization: 0.60 }")
            + $"\nhosts: [ {{ name: dgx, docker: \"tcp://dgx:2376\", tls: {{ ca: {tls}, cert: {tls}, key: {tls} }}, address: dgx, network: host, gpus: [ {{ index: 1 }} ] }} ]\n";

        var e = Assert.Throws<ConfigException>(() => Load(yaml));

        // 0.30 of a local GPU would not hold the weights either: only the local instance is judged.
        Assert.StartsWith("llama_1: gpuMemoryUtilization 0.60", Assert.Single(e.Errors), StringComparison.Ordinal);
        Assert.Contains(Load(yaml.Replace("0.60", "0.90", StringComparison.Ordinal)).Notes,
            n => n == "memory check skipped for llama_dgx: it runs on host dgx, whose Hugging Face cache this machine cannot read");
    }

    [Fact]
    public void NoConfigJsonInTheCache_IsSkippedWithOneLine()
    {
        var settings = Load(Llama(
            "      - { name: llama_0, gpus: [0], gpuMemoryUtilization: 0.60 }\n" +
            "      - { name: llama_1, gpus: [1], gpuMemoryUtilization: 0.60 }"));

        var note = Assert.Single(settings.Notes);
        Assert.StartsWith("memory check skipped for meta-llama/Llama-3.1-8B-Instruct: no config.json under ", note, StringComparison.Ordinal);
    }

    [Fact]
    public void ArchitectureTheCheckCannotSize_IsSkippedSayingSo()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_cache.Root, "hub", "models--org--vision", "snapshots", "r")).FullName;
        Directory.CreateDirectory(Path.Combine(_cache.Root, "hub", "models--org--vision", "refs"));
        File.WriteAllText(Path.Combine(_cache.Root, "hub", "models--org--vision", "refs", "main"), "r");
        File.WriteAllText(Path.Combine(folder, "config.json"), """{"architectures":["SomeVisionForConditionalGeneration"],"text_config":{"num_hidden_layers":32}}""");
        using (var weights = File.Create(Path.Combine(folder, "model.safetensors"))) weights.SetLength(1L << 30); // its size is known, its KV cache is not
        var settings = Load("""
            docker: { hfCache: HF_CACHE }
            gpus: [ { index: 0, memory: 24GiB } ]
            routing: { batchGpu: 0 }
            models:
              - name: vision
                hfModel: org/vision
                instances:
                  - { name: vision_0, gpus: [0], gpuMemoryUtilization: 0.10 }
            """);

        Assert.StartsWith("memory check skipped for vision_0: SomeVisionForConditionalGeneration cannot be sized from its config.json", Assert.Single(settings.Notes), StringComparison.Ordinal);
    }

    [Fact]
    public void HfModelAsAPathInTheContainer_IsSkippedSayingSo()
    {
        var settings = Load("""
            docker: { hfCache: HF_CACHE }
            gpus: [ { index: 0, memory: 24GiB } ]
            routing: { batchGpu: 0 }
            models:
              - name: local
                hfModel: /models/llama
                instances:
                  - { name: local_0, gpus: [0], gpuMemoryUtilization: 0.10 }
            """);

        Assert.Equal("memory check skipped for /models/llama: hfModel is a path in the container, not a Hugging Face id", Assert.Single(settings.Notes));
    }

    [Fact]
    public void GpuSize_ComesFromNvmlWhenTheConfigGivesNone_AndIsSkippedWhenNeitherKnows()
    {
        _cache.Add("meta-llama/Llama-3.1-8B-Instruct");
        var instance = "      - { name: llama_1, gpus: [1], maxModelLen: 8192, gpuMemoryUtilization: 0.60 }";

        var fromNvml = Assert.Throws<ConfigException>(() => Load(Llama(instance, gpus: "role: x"), Check(new Dictionary<int, long> { [1] = 24L << 30 })));
        var unknown = Load(Llama(instance, gpus: "role: x"), Check(nvml: null));

        Assert.Contains("of GPU 1's 23.69 GiB", fromNvml.Errors.Single(), StringComparison.Ordinal);
        Assert.Equal("memory check skipped for GPU 1's instances: its size is unknown (set gpus[].memory, e.g. 24GiB, or make NVML answer)", Assert.Single(unknown.Notes));
    }

    [Fact]
    public void WeightFiles_WithoutAnIndex_AreMeasuredAndFloat32IsServedIn16Bits()
    {
        _cache.Add("BAAI/bge-m3", 2_271_064_456); // float32 on disk
        var settings = Load("""
            docker: { hfCache: HF_CACHE }
            gpus: [ { index: 1, memory: 24GiB } ]
            routing: { interactiveGpu: 1, batchGpu: 1 }
            models:
              - name: bge-m3
                kind: embedding
                hfModel: BAAI/bge-m3
                instances:
                  - { name: bge_m3_1, gpus: [1], gpuMemoryUtilization: 0.10 }
            """);

        var note = Assert.Single(settings.Notes);
        Assert.Contains("weights 1.06 GiB", note, StringComparison.Ordinal);
        Assert.Contains("no KV cache: encoder-only", note, StringComparison.Ordinal);
    }

    [Fact]
    public void TensorParallel_SplitsWeightsAndKvHeadsOverTheGpus()
    {
        _cache.Add("Qwen/Qwen2.5-72B-Instruct-AWQ");
        string Qwen(int len) => $$"""
            docker: { hfCache: HF_CACHE }
            gpus: [ { index: 0, memory: 24GiB }, { index: 1, memory: 24GiB } ]
            models:
              - name: qwen-72b
                hfModel: Qwen/Qwen2.5-72B-Instruct-AWQ
                instances:
                  - { name: qwen_72b_dual, gpus: [0, 1], maxModelLen: {{len}}, gpuMemoryUtilization: 0.95 }
            """;

        var fits = Assert.Single(Load(Qwen(8192)).Notes);
        var tooLong = Assert.Throws<ConfigException>(() => Load(Qwen(16384)));

        Assert.Contains("weights 19.37 GiB", fits, StringComparison.Ordinal);
        Assert.Contains("KV cache 1.25 GiB for maxModelLen 8,192", fits, StringComparison.Ordinal);
        Assert.Contains("KV cache 2.50 GiB for maxModelLen 16,384", tooLong.Errors.Single(), StringComparison.Ordinal);
    }
}

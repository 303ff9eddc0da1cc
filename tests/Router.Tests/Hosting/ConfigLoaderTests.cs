using GpuRouter.Configuration;
using GpuRouter.Hosting;
using GpuRouter.Instances;

namespace Router.Tests.Hosting;

public class ConfigLoaderTests
{
    private const string Minimal = """
        clients:
          - { name: webui, source: interactive, keySha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" }
        models:
          - name: llama
            mode: day
            hfModel: meta-llama/Llama-3.1-8B-Instruct
            instances:
              - { name: llama_0, gpus: [0], maxModelLen: 32768, maxConcurrent: 3 }
        """;

    private static RouterConfig Load(string yaml, Dictionary<string, string>? env = null) =>
        ConfigLoader.Load(yaml, "test.yaml", name => env?.GetValueOrDefault(name));

    [Fact]
    public void Load_MinimalFile_FillsDefaults()
    {
        var s = Load(Minimal);
        Assert.Equal(["http://127.0.0.1:8000"], s.Server.Urls);
        Assert.Equal(16 * 1024 * 1024, s.Server.MaxRequestBodyBytes);
        Assert.Equal(4096, s.Routing.LongContextTokens);
        Assert.Equal(TimeSpan.FromMinutes(2), s.Routing.QueueTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(50), s.Lifecycle.HealthPollInterval);
        var instance = Assert.Single(s.Instances);
        Assert.Equal("0", instance.GpuLabel);
        Assert.Equal(32, instance.MaxQueue);
        Assert.Equal(0.9, instance.GpuMemoryUtilization);
        Assert.Equal(TimeSpan.FromMinutes(30), instance.Model.Ttl);
        Assert.Equal(4, s.Server.AllowedNetworks.Count);
    }

    [Fact]
    public void Load_ShippedConfigs_AreValid()
    {
        var root = RepoRoot.Path;
        var env = new Dictionary<string, string> { ["N8N_API_KEY"] = "n8n-key", ["ROUTER_ADMIN_KEY"] = "admin-key", ["WEBUI_API_KEY"] = "webui-key", ["DEMO_ADMIN_KEY"] = "x", ["DEMO_WEBUI_KEY"] = "y", ["DEMO_N8N_KEY"] = "z" };
        foreach (var file in new[] { "config/router.yaml", "config/demo.yaml" })
        {
            var s = ConfigLoader.Load(File.ReadAllText(System.IO.Path.Combine(root, file)), file, name => env.GetValueOrDefault(name) ?? Environment.GetEnvironmentVariable(name));
            Assert.NotEmpty(s.Models);
        }
    }

    [Fact]
    public void Load_ManyMistakes_ReportsEveryOneNamingItsKey()
    {
        var yaml = """
            server: { allowedNetworks: ["10.0.0.0/33"], maxRequestBodyBytes: 0 }
            clients:
              - { name: a, keyEnv: MISSING_KEY }
              - { name: b, source: robot, keySha256: "abc" }
            routing: { queueTimeout: "2 minutes", batchGpu: 7 }
            schedule: { timeZone: Mars/Olympus, nightStart: "every night" }
            usage: { postgres: "Host=localhost;Bogus Key=1" }
            models:
              - name: llama
                mode: dusk
                hfModel: x
                instances:
                  - { name: llama_0, gpus: [3], maxConcurrent: 0, gpuMemoryUtilization: 1.5 }
                  - { name: llama_0, gpus: [0] }
            """;
        var e = Assert.Throws<ConfigException>(() => Load(yaml));
        string[] expected =
        [
            "server.allowedNetworks[0]", "server.maxRequestBodyBytes", "clients[0].keyEnv: environment variable MISSING_KEY",
            "clients[1].source", "clients[1].keySha256", "routing.queueTimeout", "routing.batchGpu: GPU 7 is not in gpus",
            "schedule.timeZone", "schedule.nightStart", "usage.postgres", "models[0].mode",
            "models[0].instances[0].gpus: GPU 3 is not in gpus", "models[0].instances[0].maxConcurrent",
            "models[0].instances[0].gpuMemoryUtilization", "models[0].instances[1].name: 'llama_0' is used by another instance",
        ];
        foreach (var key in expected) Assert.Contains(e.Errors, m => m.StartsWith(key, StringComparison.Ordinal));
        Assert.Equal(expected.Length, e.Errors.Count);
    }

    [Fact]
    public void Load_KeyFromEnvironment_StoresOnlyItsHash()
    {
        var s = Load("""
            clients: [{ name: n8n, source: batch, keyEnv: N8N_API_KEY }]
            models: [{ name: m, endpoint: "http://127.0.0.1:9" }]
            """, new() { ["N8N_API_KEY"] = "secret" });
        var client = Assert.Single(s.Clients);
        Assert.Equal(Convert.FromHexString("2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b"), client.KeySha256);
    }

    [Fact]
    public void Load_UnknownKey_NamesItsLine()
    {
        var e = Assert.Throws<ConfigException>(() => Load("routing:\n  longContextTokenz: 5\n"));
        Assert.Contains("line 2", e.Errors[0], StringComparison.Ordinal);
        Assert.Contains("longContextTokenz", e.Errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EndpointModel_BecomesOneRemoteInstance()
    {
        var s = Load("models: [{ name: dgx, endpoint: \"http://dgx:8000\" }]");
        var instance = Assert.Single(s.Instances);
        Assert.Equal("dgx", instance.Name);
        Assert.False(instance.IsManaged);
        Assert.Empty(instance.Gpus);
        Assert.Equal(ModelMode.Always, instance.Model.Mode);
    }

    [Fact]
    public void Load_AlwaysInstanceThatCannotFitBesideNight_IsRefused()
    {
        var e = Assert.Throws<ConfigException>(() => Load("""
            models:
              - { name: emb, kind: embedding, mode: always, hfModel: e, instances: [{ name: emb_1, gpus: [1], gpuMemoryUtilization: 0.2 }] }
              - { name: big, mode: night, hfModel: q, instances: [{ name: big_dual, gpus: [0, 1], gpuMemoryUtilization: 0.95 }] }
            """));
        Assert.Contains(e.Errors, m => m.Contains("'emb_1'", StringComparison.Ordinal) && m.Contains("'big_dual'", StringComparison.Ordinal) && m.Contains("GPU 1", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("90s", 90_000)]
    [InlineData("30m", 1_800_000)]
    [InlineData("2h", 7_200_000)]
    [InlineData("1.5s", 1500)]
    public void Duration_ValidText_Parses(string text, double ms)
    {
        Assert.True(Duration.TryParse(text, out var value));
        Assert.Equal(ms, value.TotalMilliseconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("-5s")]
    [InlineData("5 weeks")]
    [InlineData("ms")]
    public void Duration_BadText_IsRefused(string text) => Assert.False(Duration.TryParse(text, out _));
}

using System.Net;
using System.Text.Json;
using GpuRouter.Lifecycle;
using Router.Tests.Gpu;
using Microsoft.Extensions.DependencyInjection;

namespace Router.Tests.Admin;

public sealed class GpuEndpointTests : IDisposable
{
    private const long Mib = 1024 * 1024;
    private readonly FakeNvml _nvml = new(
        "count=2", "gpu0.used_mib=1200", "gpu0.util=37", "gpu0.temp=61", "gpu0.power_mw=215500",
        "gpu1.uuid=GPU-11111111-2222-3333-4444-555555555555", "gpu1.processes=4242:3000");

    public void Dispose() => _nvml.Dispose();

    // Endpoint instances are never contacted by these routes, so a closed port will do.
    private static string Config(string library, string extraModels = "", string docker = "") => $$"""
        {{TestKeys.ClientsYaml}}
        {{docker}}
        gpus:
          - { index: 0, role: long-context }
          - { index: 1, role: throughput }
        nvml: { library: "{{library}}", pollInterval: 50ms }
        models:
          - name: llama
            instances:
              - { name: llama_0, gpus: [0], endpoint: "http://127.0.0.1:9", maxModelLen: 32768 }
              - { name: llama_1, gpus: [1], endpoint: "http://127.0.0.1:9", maxModelLen: 8192 }
          - name: qwen-72b
            mode: night
            instances:
              - { name: qwen_72b_dual, gpus: [0, 1], endpoint: "http://127.0.0.1:9", gpuMemoryUtilization: 0.95 }
        {{extraModels}}
        """;

    [Fact]
    public async Task AdminGpus_FakeNvml_ListsEachConfiguredGpuWithReadingRoleAndInstances()
    {
        using var router = new RouterFactory(Config(_nvml.LibraryPath));
        using var client = router.Client(TestKeys.Admin);

        using var doc = JsonDocument.Parse(await client.GetStringAsync(new Uri("/admin/gpus", UriKind.Relative)));

        var gpus = doc.RootElement.GetProperty("gpus");
        Assert.Equal(2, gpus.GetArrayLength());
        var gpu0 = gpus[0];
        Assert.Equal(0, gpu0.GetProperty("index").GetInt32());
        Assert.Equal("long-context", gpu0.GetProperty("role").GetString());
        Assert.Equal("on", gpu0.GetProperty("telemetry").GetString());
        Assert.True(gpu0.GetProperty("available").GetBoolean());
        Assert.Equal(JsonValueKind.Null, gpu0.GetProperty("error").ValueKind);
        Assert.Equal("NVIDIA GeForce RTX 3090", gpu0.GetProperty("name").GetString());
        Assert.StartsWith("GPU-", gpu0.GetProperty("uuid").GetString(), StringComparison.Ordinal);
        Assert.Equal(1200 * Mib, gpu0.GetProperty("memoryUsedBytes").GetInt64());
        Assert.Equal(24576 * Mib, gpu0.GetProperty("memoryTotalBytes").GetInt64());
        Assert.Equal((24576 - 1200) * Mib, gpu0.GetProperty("memoryFreeBytes").GetInt64());
        Assert.Equal(37, gpu0.GetProperty("utilizationPercent").GetInt32());
        Assert.Equal(61, gpu0.GetProperty("temperatureCelsius").GetInt32());
        Assert.Equal(215.5, gpu0.GetProperty("powerWatts").GetDouble());
        Assert.Equal(0.0, gpu0.GetProperty("reservedShare").GetDouble());
        Assert.Equal(["llama_0", "qwen_72b_dual"], Names(gpu0));
        var gpu1 = gpus[1];
        Assert.Equal("throughput", gpu1.GetProperty("role").GetString());
        Assert.Equal("GPU-11111111-2222-3333-4444-555555555555", gpu1.GetProperty("uuid").GetString());
        Assert.Equal(3000 * Mib, gpu1.GetProperty("memoryUsedBytes").GetInt64());
        Assert.Equal(["llama_1", "qwen_72b_dual"], Names(gpu1));
        var llama1 = gpu1.GetProperty("instances")[0];
        Assert.Equal("llama", llama1.GetProperty("model").GetString());
        Assert.Equal("Ready", llama1.GetProperty("state").GetString());
        Assert.False(llama1.GetProperty("managed").GetBoolean());
    }

    [Fact]
    public async Task AdminGpus_ReadsNvmlAfresh_NotTheLastPoll()
    {
        using var router = new RouterFactory(Config(_nvml.LibraryPath));
        using var client = router.Client(TestKeys.Admin);
        (await client.GetAsync(new Uri("/admin/gpus", UriKind.Relative))).Dispose();

        _nvml.Write("count=2", "gpu0.used_mib=20000");
        using var doc = JsonDocument.Parse(await client.GetStringAsync(new Uri("/admin/gpus", UriKind.Relative)));

        Assert.Equal(20000 * Mib, doc.RootElement.GetProperty("gpus")[0].GetProperty("memoryUsedBytes").GetInt64());
    }

    [Fact]
    public async Task AdminGpus_WithoutAnAdminKey_IsRefused()
    {
        using var router = new RouterFactory(Config(_nvml.LibraryPath));
        using var anonymous = router.Client();
        using var user = router.Client(TestKeys.WebUi);

        using var none = await anonymous.GetAsync(new Uri("/admin/gpus", UriKind.Relative));
        using var notAdmin = await user.GetAsync(new Uri("/admin/gpus", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, notAdmin.StatusCode);
        Assert.Equal("admin_only", (await Http.ErrorAsync(notAdmin)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task AdminGpus_NvmlMissing_ListsRolesAndInstancesWithTelemetryOff()
    {
        using var router = new RouterFactory(Config("/nonexistent/libnvidia-ml.so.1"));
        using var client = router.Client(TestKeys.Admin);

        using var doc = JsonDocument.Parse(await client.GetStringAsync(new Uri("/admin/gpus", UriKind.Relative)));

        var gpus = doc.RootElement.GetProperty("gpus");
        Assert.Equal(2, gpus.GetArrayLength());
        foreach (var gpu in gpus.EnumerateArray())
        {
            Assert.Equal("off", gpu.GetProperty("telemetry").GetString());
            foreach (var field in new[] { "available", "name", "uuid", "memoryUsedBytes", "memoryTotalBytes", "utilizationPercent", "temperatureCelsius", "powerWatts" })
                Assert.Equal(JsonValueKind.Null, gpu.GetProperty(field).ValueKind);
        }
        Assert.Equal("throughput", gpus[1].GetProperty("role").GetString());
        Assert.Equal(["llama_1", "qwen_72b_dual"], Names(gpus[1]));
    }

    [Fact]
    public async Task Health_ShowsGpusFromThePoll_LostGpuIsUnavailableWithNvmlsError()
    {
        _nvml.Write("count=2", "gpu1.lost=1");
        using var router = new RouterFactory(Config(_nvml.LibraryPath));
        using var client = router.Client();

        JsonElement gpus = default;
        // The first poll runs just after start-up; until then /health says "no reading yet".
        await global::Router.Tests.Eventually.TrueAsync(async () =>
        {
            using var doc = JsonDocument.Parse(await client.GetStringAsync(new Uri("/health", UriKind.Relative)));
            gpus = doc.RootElement.GetProperty("gpus").Clone();
            return gpus[0].GetProperty("available").ValueKind == JsonValueKind.True;
        }, "/health shows the first NVML reading");

        Assert.Equal("on", gpus[0].GetProperty("telemetry").GetString());
        Assert.Equal(24576 * Mib, gpus[0].GetProperty("memoryTotalBytes").GetInt64());
        Assert.False(gpus[1].GetProperty("available").GetBoolean());
        Assert.Contains("lost", gpus[1].GetProperty("error").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(JsonValueKind.Null, gpus[1].GetProperty("memoryUsedBytes").ValueKind);
    }

    [Fact]
    public async Task AdminGpus_DockerManagedInstances_ShowTheSharesTheRouterReserved()
    {
        var managed = $$"""
              - name: bge-m3
                kind: embedding
                image: {{DockerCli.SimImage}}
                hfModel: BAAI/bge-m3
                instances:
                  - { name: bge_m3_1, gpus: [1], maxConcurrent: 4, gpuMemoryUtilization: 0.15 }
            """;
        // A Docker that never answers: adoption at start-up removes every router-labelled container
        // not in its config, and must not reach the real engine other tests' routers use.
        using var router = new RouterFactory(Config(_nvml.LibraryPath, managed, "docker: { endpoint: \"tcp://127.0.0.1:9\" }"));
        using var client = router.Client(TestKeys.Admin);
        var placement = router.Services.GetRequiredService<GpuPlacement>();
        Assert.Null(await placement.ReserveAsync(new FakePlacedInstance("llama_1", 0.6, 1), TimeSpan.Zero, CancellationToken.None));
        Assert.Null(await placement.ReserveAsync(new FakePlacedInstance("bge_m3_1", 0.15, 1), TimeSpan.Zero, CancellationToken.None));

        using var doc = JsonDocument.Parse(await client.GetStringAsync(new Uri("/admin/gpus", UriKind.Relative)));

        var gpus = doc.RootElement.GetProperty("gpus");
        Assert.Equal(0.0, gpus[0].GetProperty("reservedShare").GetDouble());
        Assert.Equal(0.75, gpus[1].GetProperty("reservedShare").GetDouble());
        var bge = gpus[1].GetProperty("instances").EnumerateArray().Single(i => i.GetProperty("name").GetString() == "bge_m3_1");
        Assert.True(bge.GetProperty("managed").GetBoolean());
        Assert.Equal("Stopped", bge.GetProperty("state").GetString());
        Assert.Equal(0.15, bge.GetProperty("gpuMemoryUtilization").GetDouble());
    }

    private static string[] Names(JsonElement gpu) =>
        [.. gpu.GetProperty("instances").EnumerateArray().Select(i => i.GetProperty("name").GetString()!).Order(StringComparer.Ordinal)];
}

using System.Text.Json;
using GpuRouter.Configuration;
using GpuRouter.Lifecycle;
using Microsoft.Extensions.DependencyInjection;

namespace Router.Tests.Lifecycle;

/// <summary>
/// Sleep-enabled simulator models on a real engine for the sleep tests, and a /proc/meminfo of
/// the test's own (the machine's RAM does not decide what sleeps).
/// </summary>
internal sealed class SleepRouter(DockerRouter docker) : IDisposable
{
    private readonly string _meminfo = Path.Combine(Path.GetTempPath(), "meminfo-" + Guid.NewGuid().ToString("N"));

    /// <summary>One sleep-enabled model with one instance on GPU 0 (1 GiB of weights asleep at level 1).</summary>
    public string Model(string model, double share = 0.6, string args = "", string sleep = "level: 1, hostMemory: 1GiB, residualShare: 0.05", string extra = "") => $$"""
          - name: {{model}}
            image: {{DockerCli.SimImage}}
            hfModel: sim/{{model}}
            args: ["--sleep-seconds", "0.2", "--wake-seconds", "0.3"{{args}}]
            sleep: { {{sleep}} }
            {{extra}}
            instances:
              - { name: {{docker.Name(model + "_0")}}, gpus: [0], maxModelLen: 8192, maxConcurrent: 4, gpuMemoryUtilization: {{share.ToString(System.Globalization.CultureInfo.InvariantCulture)}} }

        """;

    /// <summary>Starts a router on <paramref name="models"/> with a host budget and MemAvailable of the test's choosing.</summary>
    public RouterFactory Start(string models, string budget = "8GiB", long memAvailableGib = 64, string tail = "", string routing = "", Action<IServiceCollection>? services = null)
    {
        File.WriteAllText(_meminfo, $"MemTotal:       {128L << 20} kB\nMemFree:        1000 kB\nMemAvailable:   {memAvailableGib << 20} kB\n");
        var config = docker.Config(models, routing) + $"\nhost: {{ memoryBudget: {budget}, memoryMargin: 1GiB }}\n" + tail;
        var options = new HostMemoryOptions(ByteSize.TryParse(budget, out var b) ? b : null, 1L << 30);
        return docker.Start(config, collection =>
        {
            collection.AddSingleton(new HostMemory(options, _meminfo));
            services?.Invoke(collection);
        });
    }

    public static async Task<JsonElement> InstanceAsync(HttpClient admin, string name)
    {
        using var json = JsonDocument.Parse(await admin.GetStringAsync("/admin/instances"));
        return json.RootElement.GetProperty("instances").EnumerateArray().Single(i => i.GetProperty("name").GetString() == name).Clone();
    }

    public static async Task<string> StateAsync(HttpClient admin, string name) => (await InstanceAsync(admin, name)).GetProperty("state").GetString()!;

    public void Dispose() => File.Delete(_meminfo);
}

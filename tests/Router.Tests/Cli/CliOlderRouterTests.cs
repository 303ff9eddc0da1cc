using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Router.Tests.Cli;

/// <summary>
/// The command line against a router from before hosts: its /health and /admin/gpus have no
/// <c>hosts</c>, no GPU or instance <c>host</c>. The CLI shows the same tables as before: no host
/// lines, GPUs and instances by their bare index.
/// </summary>
public sealed partial class CliOlderRouterTests : IAsyncLifetime
{
    // Answers as the router before hosts wrote them (the fields of its GpuView and InstanceView).
    private const string Mode = """{"mode":"day","override":"auto","since":"2026-12-02T11:00:00+00:00","nextSwitch":"2026-12-03T02:00:00+00:00","lastSwitch":null}""";
    private const string Gpus = """
        [{"index":0,"role":"general","telemetry":"on","available":true,"error":null,"name":"NVIDIA GeForce RTX 3090","uuid":"GPU-1",
          "memoryUsedBytes":1073741824,"memoryTotalBytes":25769803776,"memoryFreeBytes":24696061952,"utilizationPercent":10,
          "temperatureCelsius":50,"powerWatts":120.0,"readAt":"2026-12-02T12:00:00+00:00","reservedShare":0.5,
          "instances":[{"name":"llama_0","model":"llama","state":"Ready","gpuMemoryUtilization":0.5,"managed":true}]}]
        """;
    private const string Instances = """
        [{"name":"llama_0","model":"llama","mode":"always","state":"Ready","gpus":[0],"endpoint":null,"inFlight":1,"queued":0,
          "limit":4,"configuredLimit":4,"maxQueue":16,"lastUsed":null,"containerId":"abc","restarts":0,"lastError":null,
          "stateSince":null,"sleep":null,"canSleep":false}]
        """;

    private WebApplication _old = null!;
    private Uri _address = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _old = builder.Build();
        _old.MapGet("/admin/mode", () => Results.Text(Mode, "application/json"));
        _old.MapGet("/health", () => Results.Text($$"""{"status":"ok","mode":"day","override":"auto","nextSwitch":null,"instances":{{Instances}},"gpus":{{Gpus}}}""", "application/json"));
        _old.MapGet("/admin/gpus", () => Results.Text($$"""{"gpus":{{Gpus}}}""", "application/json"));
        await _old.StartAsync();
        _address = new Uri(_old.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async Task DisposeAsync() => await _old.DisposeAsync();

    private CliRunner Cli() =>
        new CliRunner { Time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-02T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture)) }
            .With("GPU_ROUTER_URL", _address.ToString()).With("GPU_ROUTER_ADMIN_KEY", TestKeys.Admin);

    [GeneratedRegex(@" {2,}")]
    private static partial Regex Gap();

    private static string[] Cells(string line) => Gap().Split(line.TrimEnd());

    [Fact]
    public async Task Status_OlderRouter_SameTablesAsBefore_NoHostLines()
    {
        var result = await Cli().RunAsync("status");

        Assert.True(result.Code == 0, result.Error);
        var lines = result.Out.TrimEnd('\n').Split('\n');
        Assert.Equal(9, lines.Length);
        Assert.Equal("mode         day (override: auto)", lines[0]);
        Assert.Equal("", lines[3]);
        Assert.Equal(["GPU", "ROLE", "RESERVED", "MEMORY", "UTIL", "TEMP", "INSTANCES"], Cells(lines[4]));
        Assert.Equal(["0", "general", "0.50", "1.0/24.0 GiB", "10%", "50 C", "llama_0"], Cells(lines[5]));
        Assert.Equal("", lines[6]);
        Assert.Equal(["INSTANCE", "MODEL", "MODE", "GPUS", "STATE", "IN FLIGHT", "QUEUED", "LAST USED", "RESTARTS", "LAST ERROR"], Cells(lines[7]));
        Assert.Equal(["llama_0", "llama", "always", "0", "Ready", "1/4", "0", "never", "0", "-"], Cells(lines[8]));
        Assert.DoesNotContain("HOST", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gpus_OlderRouter_SameTableAsBefore()
    {
        var result = await Cli().RunAsync("gpus");

        Assert.True(result.Code == 0, result.Error);
        var lines = result.Out.TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Equal(["GPU", "NAME", "ROLE", "RESERVED", "MEMORY", "UTIL", "TEMP", "POWER", "INSTANCES"], Cells(lines[0]));
        Assert.Equal(["0", "NVIDIA GeForce RTX 3090", "general", "0.50", "1.0/24.0 GiB", "10%", "50 C", "120 W", "llama_0 (Ready)"], Cells(lines[1]));
    }
}

using System.Text.RegularExpressions;
using GpuRouter.Lifecycle;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Router.Tests.Gpu;
using Router.Tests.Hosts;

namespace Router.Tests.Cli;

/// <summary>
/// <c>gpu-router status</c> and <c>gpu-router gpus</c> against a router with a GPU host besides this
/// one: a host table before the GPUs, remote GPUs and instances as "dgx:0", the remote memory as
/// what the router reserved. Without hosts the output keeps its shape (scripts parse it).
/// </summary>
public sealed partial class CliHostsTests : IAsyncLifetime
{
    private readonly HostViews _views = new();

    public async Task InitializeAsync()
    {
        var placement = _views.Router.Services.GetRequiredService<GpuPlacement>();
        Assert.Null(await placement.ReserveAsync(new FakePlacedInstance("llama405_dgx", 0.9, 0, 1) { Host = "dgx" }, TimeSpan.Zero, default));
        _views.Board.MarkUnreachable("dgx", "connection refused (dgx.tailnet:2376)");
    }

    public async Task DisposeAsync() => await _views.DisposeAsync();

    private CliRunner Cli() => CliRunner.For(_views.Router.Start());

    // The CLI's clock three minutes after dgx went down, so SINCE reads exactly.
    private CliRunner CliThreeMinutesLater()
    {
        var runner = new CliRunner { Time = new FakeTimeProvider(_views.Board.Of("dgx").Since.AddMinutes(3)) };
        return runner.With("GPU_ROUTER_URL", _views.Router.Start().ToString()).With("GPU_ROUTER_ADMIN_KEY", TestKeys.Admin);
    }

    [GeneratedRegex(@" {2,}")]
    private static partial Regex Gap();

    // A table line as its cells (columns are two or more spaces apart).
    private static string[] Cells(string line) => Gap().Split(line.TrimEnd());

    private static string[] Line(string output, string first) =>
        Cells(output.Split('\n').Single(l => l.StartsWith(first + " ", StringComparison.Ordinal)));

    [Fact]
    public async Task Status_WithHosts_HostTableThenGpusAndInstancesNamedByHost()
    {
        var result = await CliThreeMinutesLater().RunAsync("status"); File.WriteAllText("/tmp/hv-status.txt", result.Out);

        Assert.True(result.Code == 0, result.Error);
        var lines = result.Out.Split('\n');
        var header = Array.FindIndex(lines, l => l.StartsWith("HOST ", StringComparison.Ordinal));
        Assert.Equal(["HOST", "ENGINE", "ADDRESS", "REACHABILITY", "SINCE", "REASON"], Cells(lines[header]));
        Assert.Equal(["local", HostViews.LocalEngine, "-", "unknown"], Cells(lines[header + 1]).Take(4));
        Assert.Equal(["dgx", HostViews.DgxEngine, "dgx.tailnet", "unreachable", "3m ago", "connection refused (dgx.tailnet:2376)"], Cells(lines[header + 2]));
        Assert.Equal("", lines[header + 3]);
        Assert.StartsWith("GPU ", lines[header + 4], StringComparison.Ordinal);
        Assert.Equal(["0", "long-context", "0.00", "1.2/24.0 GiB", "37%", "61 C", "llama_0"], Line(result.Out, "0"));
        Assert.Equal(["dgx:0", "big", "0.90", "72.0/80.0 GiB reserved", "-", "-", "llama405_dgx"], Line(result.Out, "dgx:0"));
        Assert.Equal(["dgx:1", "general", "0.90", "-", "-", "-", "llama405_dgx"], Line(result.Out, "dgx:1"));
        Assert.Contains("GPUs on dgx are not measured (NVML is read for the local GPUs only): MEMORY is what the router reserved there.", lines);
        Assert.Equal(["llama405_dgx", "llama-405b", "always", "dgx:0,1", "Stopped"], Line(result.Out, "llama405_dgx").Take(5));
        Assert.Equal(["bge_m3_1", "bge-m3", "always", "1", "Stopped"], Line(result.Out, "bge_m3_1").Take(5));
    }

    [Fact]
    public async Task Gpus_WithHosts_HostTableThenEveryGpuWithItsInstancesState()
    {
        var result = await CliThreeMinutesLater().RunAsync("gpus"); File.WriteAllText("/tmp/hv-gpus.txt", result.Out);

        Assert.True(result.Code == 0, result.Error);
        Assert.StartsWith("HOST ", result.Out, StringComparison.Ordinal);
        Assert.Equal(["dgx", HostViews.DgxEngine, "dgx.tailnet", "unreachable", "3m ago", "connection refused (dgx.tailnet:2376)"], Line(result.Out, "dgx"));
        Assert.Equal(["dgx:0", "-", "big", "0.90", "72.0/80.0 GiB reserved", "-", "-", "-", "llama405_dgx (Stopped)"], Line(result.Out, "dgx:0"));
        Assert.Equal("1", Line(result.Out, "1")[0]);
        Assert.Contains("GPUs on dgx are not measured", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_Json_CarriesHostsAndEachGpusHost()
    {
        var result = await Cli().RunAsync("status", "--json");

        using var doc = System.Text.Json.JsonDocument.Parse(result.Out);
        var health = doc.RootElement.GetProperty("health");
        Assert.Equal("unreachable", health.GetProperty("hosts")[1].GetProperty("reachability").GetString());
        Assert.Equal(["local", "local", "dgx", "dgx"], health.GetProperty("gpus").EnumerateArray().Select(g => g.GetProperty("host").GetString()));
    }
}

using System.Net;

namespace Router.Tests.Hosting;

/// <summary>
/// The router as its own process with NOTIFY_SOCKET and WATCHDOG_USEC set, as systemd starts a
/// Type=notify unit with WatchdogSec=, and a stand-in notify socket that records what it says.
/// </summary>
public sealed class SystemdNotifyTests : IDisposable
{
    private readonly string _configPath = Path.Combine(Path.GetTempPath(), $"router-notify-{Guid.NewGuid():N}.yaml");

    // Loopback is left out of the allowlist on purpose: the watchdog's own probe must still get through.
    private static string Config => $$"""
        server: { allowedNetworks: ["10.0.0.0/8"] }
        {{TestKeys.ClientsYaml}}
        nvml: { library: /nonexistent/libnvidia-ml.so.1 }
        models:
          - { name: llama, endpoint: "http://127.0.0.1:9" }
        """;

    public SystemdNotifyTests() => File.WriteAllText(_configPath, Config);

    public void Dispose() => File.Delete(_configPath);

    [Fact]
    public async Task NotifySocketSet_ReadyOnceListening_WatchdogPings_StoppingOnSigterm()
    {
        var address = new TaskCompletionSource<Uri>();
        // When READY=1 arrives, the port must already answer HTTP (403: the allowlist refuses this test).
        using var notify = new NotifySocket(m => m == "READY=1" ? StatusOf(address.Task.Result) : null);
        await using var router = RouterProcess.Start(_configPath, new Dictionary<string, string>
        {
            ["NOTIFY_SOCKET"] = notify.Path,
            ["WATCHDOG_USEC"] = "1000000",
        });
        address.SetResult(router.Address);

        await Eventually.TrueAsync(() => notify.Count("WATCHDOG=1") >= 3, "three watchdog pings arrived", 30_000);
        Assert.Equal("READY=1", notify.Messages[0]);
        Assert.Equal("403", notify.NoteOf("READY=1"));

        // The allowlist still refuses everyone else on loopback, with or without a made-up probe header.
        using var client = new HttpClient { BaseAddress = router.Address };
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/health")).StatusCode);
        using var forged = new HttpRequestMessage(HttpMethod.Get, "/health") { Headers = { { "X-Router-Probe", new string('0', 64) } } };
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(forged)).StatusCode);

        Assert.Equal(0, await router.TerminateAsync(TimeSpan.FromSeconds(30)));
        await Eventually.TrueAsync(() => notify.Count("STOPPING=1") == 1, "STOPPING=1 arrived");
        Assert.Equal(1, notify.Count("READY=1"));
        Assert.True(notify.Messages.ToList().IndexOf("STOPPING=1") > notify.Messages.ToList().IndexOf("WATCHDOG=1"));
    }

    [Fact]
    public async Task NoWatchdogAsked_ReadyAndStoppingOnly()
    {
        using var notify = new NotifySocket();
        await using var router = RouterProcess.Start(_configPath, new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notify.Path });

        await Eventually.TrueAsync(() => notify.Count("READY=1") == 1, "READY=1 arrived", 30_000);
        Assert.Equal(0, await router.TerminateAsync(TimeSpan.FromSeconds(30)));

        await Eventually.TrueAsync(() => notify.Count("STOPPING=1") == 1, "STOPPING=1 arrived");
        Assert.Equal(["READY=1", "STOPPING=1"], notify.Messages);
    }

    private static string StatusOf(Uri address)
    {
        try
        {
            using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
            using var response = client.Send(new HttpRequestMessage(HttpMethod.Get, "/health"));
            return ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (HttpRequestException e)
        {
            return "not listening: " + e.Message;
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Router.Tests;

/// <summary>
/// The router as its own process (<c>dotnet gpu-router.dll --config FILE --urls URL</c>), as
/// systemd runs it: a test can kill it with SIGKILL, which an in-process router cannot take.
/// </summary>
internal sealed class RouterProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _output = new();

    private RouterProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public string OutputTail
    {
        get
        {
            lock (_output) return string.Join('\n', _output);
        }
    }

    /// <summary>Starts the router on a free loopback port and waits until /ready answers 200.</summary>
    public static async Task<RouterProcess> StartAsync(string configPath, TimeSpan readyWithin)
    {
        var router = Start(configPath, new Dictionary<string, string>());
        try
        {
            await router.WaitReadyAsync(readyWithin);
            return router;
        }
        catch
        {
            await router.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the router on a free loopback port with these variables added to its environment; does not wait.</summary>
    public static RouterProcess Start(string configPath, IReadOnlyDictionary<string, string> environment)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "gpu-router.dll"), "--config", configPath, "--urls", address.ToString().TrimEnd('/') })
            info.ArgumentList.Add(arg);
        // Only what the test asks for: never a notify socket this test process happens to have.
        info.Environment.Remove("NOTIFY_SOCKET");
        info.Environment.Remove("WATCHDOG_USEC");
        info.Environment.Remove("WATCHDOG_PID");
        foreach (var (name, value) in environment) info.Environment[name] = value;
        var process = new Process { StartInfo = info };
        var router = new RouterProcess(process, address);
        process.OutputDataReceived += (_, e) => router.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => router.Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return router;
    }

    public int ProcessId => _process.Id;

    /// <summary>SIGTERM, as systemctl stop sends it: the router shuts down in order. Returns its exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan within)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(within);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>Waits for the router to exit on its own (a refused config, say); returns its exit code.</summary>
    public async Task<int> ExitCodeAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public HttpClient Client(string key)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", key);
        return client;
    }

    /// <summary>SIGKILL: no shutdown code runs, as when the OOM killer or a power cut takes the router.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) await KillAsync();
        _process.Dispose();
    }

    private async Task WaitReadyAsync(TimeSpan within)
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"the router exited with {_process.ExitCode}:\n{OutputTail}");
            try
            {
                using var ready = await client.GetAsync("/ready");
                if (ready.StatusCode == HttpStatusCode.OK) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            if (clock.Elapsed > within) throw new TimeoutException($"the router was not ready within {within}:\n{OutputTail}");
            await Task.Delay(50);
        }
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > 200) _output.Dequeue();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;

namespace VllmSim.Tests.Support;

/// <summary>The real program as a child process (<c>dotnet vllm-sim.dll ...</c>), with its output kept.</summary>
internal sealed class SimProcess : IDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> stdout = new();
    private readonly ConcurrentQueue<string> stderr = new();

    private SimProcess(Process process, int port)
    {
        this.process = process;
        Port = port;
        Started = Stopwatch.StartNew();
    }

    public int Port { get; }

    public Stopwatch Started { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public IReadOnlyList<string> StandardOutput => [.. stdout];

    public string StandardError => string.Join('\n', stderr);

    public bool HasExited => process.HasExited;

    /// <summary>Starts the simulator on a free loopback port unless <paramref name="args"/> names one.</summary>
    public static SimProcess Start(params string[] args) => Start(new Dictionary<string, string>(), args);

    /// <summary>As <see cref="Start(string[])"/>, with variables added to the child's environment.</summary>
    public static SimProcess Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var port = FreePort.Next();
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "vllm-sim.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        if (!args.Contains("--port"))
        {
            info.ArgumentList.Add("--host");
            info.ArgumentList.Add("127.0.0.1");
            info.ArgumentList.Add("--port");
            info.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        var process = new Process { StartInfo = info };
        var sim = new SimProcess(process, port);
        process.OutputDataReceived += (_, e) => Keep(sim.stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Keep(sim.stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return sim;
    }

    /// <summary>Polls /health until it answers 200; returns the time since the process started.</summary>
    public async Task<TimeSpan> WaitHealthyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        while (Started.Elapsed < timeout)
        {
            Assert.False(process.HasExited, $"the simulator exited with {(process.HasExited ? process.ExitCode : 0)}: {StandardError}");
            try
            {
                using var response = await client.GetAsync(new Uri(BaseAddress, "/health"));
                if (response.IsSuccessStatusCode)
                {
                    return Started.Elapsed;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet: vLLM opens its port only once loaded.
            }
            await Task.Delay(20);
        }
        throw new TimeoutException($"not healthy after {timeout}: {StandardError}");
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token);
        return process.ExitCode;
    }

    /// <summary>Sends SIGTERM, as docker stop does.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        process.Dispose();
    }

    private static void Keep(ConcurrentQueue<string> lines, string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
        }
    }
}

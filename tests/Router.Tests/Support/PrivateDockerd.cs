using System.Diagnostics;
using System.Globalization;
using GpuRouter.Docker;
using Microsoft.Extensions.Logging.Abstractions;

namespace Router.Tests;

/// <summary>
/// A dockerd of the test's own, so a test can stop, kill and restart "Docker" for real without
/// touching the machine's engine (restarting that one would kill every other test's containers).
/// All it owns lives under one temporary folder: data root, exec root (with its own containerd,
/// its socket and state), pid file, API socket and an empty daemon.json; its containers sit in a
/// cgroup parent of their own. No bridge and no iptables: containers use the host network, as
/// the router's tests do. <see cref="StartAsync(IReadOnlyList{string}?)"/> takes further dockerd
/// arguments, e.g. a TLS TCP listener (<c>-H tcp://127.0.0.1:N --tlsverify --tlscacert ...</c>).
/// </summary>
internal sealed class PrivateDockerd : IAsyncDisposable
{
    // Short: the API and containerd sockets live below it, and unix socket paths stop at 107 bytes.
    private const string RootPrefix = "gr-dockerd-";
    private const string OwnerFile = "owner.pid";
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(45);
    private readonly IReadOnlyList<string> _extraArgs;
    private readonly Queue<string> _log = new();
    private Process? _process;

    private PrivateDockerd(string root, IReadOnlyList<string> extraArgs)
    {
        Root = root;
        _extraArgs = extraArgs;
    }

    public string Root { get; }

    public string Endpoint => "unix://" + Path.Combine(Root, "docker.sock");

    /// <summary>dockerd's own output, its last lines: what a failing test shows.</summary>
    public string LogTail
    {
        get
        {
            lock (_log) return string.Join('\n', _log);
        }
    }

    private string PidFile => Path.Combine(Root, "docker.pid");

    private string CgroupParent => "gpu-router-test-" + Path.GetFileName(Root)[RootPrefix.Length..];

    /// <summary>A fresh engine, answering when this returns. First cleans up after test processes that died with theirs running.</summary>
    public static async Task<PrivateDockerd> StartAsync(IReadOnlyList<string>? extraArgs = null)
    {
        await ReapOrphansAsync();
        var root = Directory.CreateTempSubdirectory(RootPrefix).FullName;
        await File.WriteAllTextAsync(Path.Combine(root, OwnerFile), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        await File.WriteAllTextAsync(Path.Combine(root, "daemon.json"), "{}");
        var dockerd = new PrivateDockerd(root, extraArgs ?? []);
        try
        {
            await dockerd.StartAsync();
            return dockerd;
        }
        catch
        {
            await dockerd.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts dockerd (again, on the same data root) and returns once its API answers.</summary>
    public async Task StartAsync()
    {
        if (_process is { HasExited: false }) throw new InvalidOperationException("dockerd is already running.");
        // Pid files left by a killed dockerd: its own makes the new one refuse to start, and its
        // containerd's (dead, but maybe a zombie no one has collected yet, which kill(pid, 0) still
        // finds) makes the new one wait for that containerd's socket instead of starting its own.
        foreach (var pidFile in new[] { PidFile, Path.Combine(Root, "exec", "containerd", "containerd.pid") })
        {
            if (File.Exists(pidFile) && !(int.TryParse(await File.ReadAllTextAsync(pidFile), CultureInfo.InvariantCulture, out var pid) && IsAlive(pid)))
                File.Delete(pidFile);
        }
        var info = new ProcessStartInfo("dockerd") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in Arguments()) info.ArgumentList.Add(arg);
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitAnsweringAsync(_process);
    }

    /// <summary>
    /// Stops dockerd and waits for it to exit. SIGTERM is what <c>systemctl stop docker</c> (and so
    /// an apt upgrade) sends: dockerd stops its containers first. SIGKILL is a crash: the containers
    /// run on under their shims until the next start, which kills them (there is no live-restore).
    /// </summary>
    public async Task StopAsync(string signal = "TERM")
    {
        if (_process is not { HasExited: false } process) return;
        await SignalAsync(process.Id, signal);
        using var timeout = new CancellationTokenSource(ExitTimeout);
        await process.WaitForExitAsync(timeout.Token);
    }

    /// <summary>Copies an image from the machine's engine (docker save | docker load).</summary>
    public async Task LoadImageAsync(string image)
    {
        var (code, _, error) = await RunAsync("bash", "-c", "set -o pipefail; docker save \"$0\" | docker --host \"$1\" load --quiet", image, Endpoint);
        if (code != 0) throw new InvalidOperationException($"loading {image} into the private dockerd failed: {error}");
    }

    /// <summary>A client of this engine (the router's own Engine API client).</summary>
    public DockerEngineClient Client() =>
        new(new DockerOptions { Endpoint = Endpoint, RequestTimeout = TimeSpan.FromSeconds(10) }, TimeProvider.System, NullLogger<DockerEngineClient>.Instance);

    /// <summary>Removes every container, stops dockerd, and leaves no mount, cgroup or file behind.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            // A stopped engine is started once more: its start kills and cleans up what a killed one left running.
            if (_process is not { HasExited: false } && File.Exists(Path.Combine(Root, "daemon.json"))) await StartAsync();
            await RemoveContainersAsync();
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or DockerUnavailableException or DockerApiException or TimeoutException)
        {
            Keep($"cleanup: {e.Message}");
        }
        await StopAsync();
        await CleanUpFolderAsync(Root, CgroupParent);
        _process?.Dispose();
    }

    private List<string> Arguments() =>
    [
        "--data-root", Path.Combine(Root, "data"),
        "--exec-root", Path.Combine(Root, "exec"),
        "--pidfile", PidFile,
        "--host", Endpoint,
        // Not /etc/docker/daemon.json: whatever the machine's engine is configured with stays its own.
        "--config-file", Path.Combine(Root, "daemon.json"),
        "--cgroup-parent", CgroupParent,
        "--bridge=none", "--iptables=false", "--ip6tables=false", "--ip-forward=false", "--ip-masq=false",
        "--userland-proxy=false",
        .. _extraArgs,
    ];

    private async Task WaitAnsweringAsync(Process process)
    {
        using var client = Client();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"dockerd exited with {process.ExitCode}:\n{LogTail}");
            try
            {
                await client.PingAsync(CancellationToken.None);
                return;
            }
            catch (Exception e) when (e is DockerUnavailableException or DockerApiException)
            {
                if (clock.Elapsed > AnswerTimeout) throw new TimeoutException($"dockerd did not answer within {AnswerTimeout}:\n{LogTail}");
            }
            await Task.Delay(50);
        }
    }

    private async Task RemoveContainersAsync()
    {
        using var client = Client();
        foreach (var container in await client.ListContainersAsync(new Dictionary<string, string?>(), all: true, CancellationToken.None))
        {
            await client.RemoveContainerAsync(container.ID, force: true, ignoreMissing: true, CancellationToken.None);
        }
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_log)
        {
            _log.Enqueue(line);
            while (_log.Count > 200) _log.Dequeue();
        }
    }

    // Engines of test processes that died (a crashed test host never ran its disposal). An engine
    // whose owner still runs, another work tree's included, is left alone.
    private static async Task ReapOrphansAsync()
    {
        foreach (var root in Directory.EnumerateDirectories(Path.GetTempPath(), RootPrefix + "*"))
        {
            var owner = Path.Combine(root, OwnerFile);
            if (File.Exists(owner) && int.TryParse(await File.ReadAllTextAsync(owner), CultureInfo.InvariantCulture, out var pid) && IsAlive(pid)) continue;
            var orphan = new PrivateDockerd(root, []);
            if (File.Exists(orphan.PidFile) && int.TryParse(await File.ReadAllTextAsync(orphan.PidFile), CultureInfo.InvariantCulture, out var dockerd) && IsAlive(dockerd))
            {
                // Its dockerd still runs, with no one to clean up after it: stopping it stops its containers.
                await SignalAsync(dockerd, "TERM");
                for (var i = 0; i < 450 && IsAlive(dockerd); i++) await Task.Delay(100);
            }
            else if (File.Exists(Path.Combine(root, "daemon.json")))
            {
                // Killed with its containers left running: one more start kills them.
                await orphan.StartAsync();
                await orphan.RemoveContainersAsync();
                await orphan.StopAsync();
            }
            await CleanUpFolderAsync(root, orphan.CgroupParent);
        }
    }

    // A zombie ("pid (name) Z ...") has exited; only its parent has not collected it yet.
    private static bool IsAlive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    // dockerd bind-mounts its data root onto itself and its network namespace under the exec root;
    // both outlive it. The cgroup parent stays too (Docker removes only the containers' own).
    private static async Task CleanUpFolderAsync(string root, string cgroupParent)
    {
        for (var pass = 0; pass < 5; pass++)
        {
            var mounts = MountsUnder(root);
            if (mounts.Count == 0) break;
            foreach (var mount in mounts) await RunAsync("umount", "--lazy", mount);
        }
        foreach (var dir in CgroupDirectories(cgroupParent).Where(Directory.Exists))
        {
            try
            {
                Directory.Delete(dir);
            }
            catch (IOException)
            {
                // A cgroup still holding a process; the kernel keeps it until that ends.
            }
        }
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next run's orphan sweep.
        }
    }

    // Mount points at or below root, the deepest (latest) first. /proc/self/mountinfo escapes spaces as \040.
    private static List<string> MountsUnder(string root) =>
        [.. File.ReadLines("/proc/self/mountinfo")
            .Select(line => line.Split(' ')[4].Replace("\\040", " ", StringComparison.Ordinal))
            .Where(point => point == root || point.StartsWith(root + "/", StringComparison.Ordinal))
            .Reverse()];

    // dockerd places the parent below its own cgroup in each hierarchy: the root, or the test host's.
    private static IEnumerable<string> CgroupDirectories(string parent)
    {
        var own = File.ReadLines("/proc/self/cgroup").Select(line => line.Split(':', 3)[2]).Distinct().ToList();
        foreach (var hierarchy in Directory.EnumerateDirectories("/sys/fs/cgroup"))
        {
            foreach (var path in own) yield return Path.Combine(hierarchy + path, parent);
        }
    }

    private static async Task SignalAsync(int pid, string signal) =>
        await RunAsync("kill", "-s", signal, pid.ToString(CultureInfo.InvariantCulture));

    private static Task<(int Code, string Output, string Error)> RunAsync(string file, params string[] args) => Processes.RunAsync(file, args);
}

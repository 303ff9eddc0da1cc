using System.Globalization;
using Router.Tests.Gpu;

namespace Router.Tests.Lifecycle;

/// <summary>
/// Plays the NVIDIA driver for one simulator container on GPU 0 of a <see cref="FakeNvml"/>: every
/// 100 ms it asks the container's own simulator whether it sleeps (GET /is_sleeping on its port)
/// and lists the container's real host PID as an NVML process holding <c>awakeMib</c> while it is
/// awake and <c>asleepMib</c> while it sleeps, as a vLLM's CUDA allocations do. No container: no process.
/// </summary>
internal sealed class SleepingGpu : IAsyncDisposable
{
    private readonly FakeNvml _nvml;
    private readonly string _instance;
    private readonly long _awakeMib;
    private readonly long _asleepMib;
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly Task _loop;

    public SleepingGpu(FakeNvml nvml, string instance, long awakeMib, long asleepMib)
    {
        (_nvml, _instance, _awakeMib, _asleepMib) = (nvml, instance, awakeMib, asleepMib);
        _nvml.Write("count=2");
        _loop = Task.Run(FollowAsync);
    }

    /// <summary>What the fake reported last: the sleep state it saw, or null while there was no container.</summary>
    public bool? LastSeenAsleep { get; private set; }

    private async Task FollowAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await ReportAsync();
                await Task.Delay(100, _stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task ReportAsync()
    {
        var id = (await DockerCli.ContainersAsync(_instance)).FirstOrDefault();
        var inspected = id is null ? "" : (await DockerCli.RunAsync("inspect", "-f", "{{.State.Pid}} {{join .Args \" \"}}", id)).Trim();
        var words = inspected.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var port = Array.IndexOf(words, "--port") is var at and >= 0 && at + 1 < words.Length ? words[at + 1] : null;
        if (words.Length == 0 || !uint.TryParse(words[0], CultureInfo.InvariantCulture, out var pid) || pid == 0 || port is null)
        {
            LastSeenAsleep = null;
            _nvml.Write("count=2");
            return;
        }
        bool asleep;
        try
        {
            var body = await _http.GetStringAsync($"http://127.0.0.1:{port}/is_sleeping", _stop.Token);
            asleep = body.Contains("true", StringComparison.Ordinal);
        }
        catch (HttpRequestException)
        {
            return; // Not listening yet (loading) or gone: keep the last reading.
        }
        _nvml.Write("count=2", string.Create(CultureInfo.InvariantCulture, $"gpu0.processes={pid}:{(asleep ? _asleepMib : _awakeMib)}"));
        LastSeenAsleep = asleep;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
        _http.Dispose();
        _stop.Dispose();
    }
}

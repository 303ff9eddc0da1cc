using System.Globalization;
using GpuRouter.Failures;

namespace GpuRouter.Lifecycle;

/// <summary>
/// The VRAM budget: the instances holding a GPU may reserve at most 1.0 of it in total. To make
/// room it stops idle instances on the needed GPUs, least recently used first, and never one with
/// requests in flight: then the start waits until one goes idle, up to its timeout.
/// </summary>
internal sealed partial class GpuPlacement(TimeProvider time, ILogger<GpuPlacement> logger)
{
    private const double Epsilon = 1e-9;
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private readonly Lock _lock = new();
    private readonly HashSet<IPlacedInstance> _reserved = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public event Action<string, string>? Evicted;

    /// <summary>Reserves the instance's share on its GPUs, evicting or waiting as needed.</summary>
    public async Task<Failure?> ReserveAsync(IPlacedInstance instance, TimeSpan timeout, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            List<IPlacedInstance> victims;
            Task changed;
            lock (_lock)
            {
                if (_reserved.Contains(instance) || Fits(instance))
                {
                    _reserved.Add(instance);
                    return null;
                }
                victims = [.. _reserved.Where(r => r.Gpus.Intersect(instance.Gpus).Any()).OrderBy(r => r.LastActivity)];
                changed = _changed.Task;
            }
            if (await EvictOneAsync(instance, victims, ct)) continue;
            if (time.GetElapsedTime(started) >= timeout) return NoRoom(instance, victims);
            await Task.WhenAny(changed, Task.Delay(Poll, time, ct));
            ct.ThrowIfCancellationRequested();
        }
    }

    public void Release(IPlacedInstance instance)
    {
        TaskCompletionSource signal;
        lock (_lock)
        {
            if (!_reserved.Remove(instance)) return;
            signal = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        signal.TrySetResult();
    }

    public bool Holds(IPlacedInstance instance)
    {
        lock (_lock) return _reserved.Contains(instance);
    }

    /// <summary>The reserved share per GPU, for /admin/gpus and /health.</summary>
    public IReadOnlyDictionary<int, double> ReservedShares()
    {
        lock (_lock)
        {
            return _reserved.SelectMany(r => r.Gpus.Select(g => (g, r.Share)))
                .GroupBy(x => x.g).ToDictionary(g => g.Key, g => g.Sum(x => x.Share));
        }
    }

    private bool Fits(IPlacedInstance instance) =>
        instance.Gpus.All(g => _reserved.Where(r => r.Gpus.Contains(g)).Sum(r => r.Share) + instance.Share <= 1.0 + Epsilon);

    private async Task<bool> EvictOneAsync(IPlacedInstance instance, List<IPlacedInstance> victims, CancellationToken ct)
    {
        foreach (var victim in victims)
        {
            if (!await victim.TryStopIdleAsync($"evicted to make room for {instance.Name}", ct)) continue;
            LogEvicted(logger, victim.Name, instance.Name);
            Evicted?.Invoke(victim.Name, "vram");
            Release(victim);
            return true;
        }
        return false;
    }

    private static Failure NoRoom(IPlacedInstance instance, List<IPlacedInstance> holders)
    {
        var held = string.Join(", ", holders.Select(h =>
            $"{h.Name} ({h.Share.ToString("0.##", CultureInfo.InvariantCulture)}, {h.Busy} busy)"));
        return Failure.Unavailable("no_gpu_room",
            $"No room on GPU {string.Join(',', instance.Gpus)} for {instance.Name} (needs {instance.Share.ToString("0.##", CultureInfo.InvariantCulture)}): held by {held}, none idle.",
            TimeSpan.FromSeconds(10));
    }

    [LoggerMessage(EventId = 3100, Level = LogLevel.Information, Message = "Stopped {Victim} to make room for {Instance}")]
    private static partial void LogEvicted(ILogger logger, string victim, string instance);
}

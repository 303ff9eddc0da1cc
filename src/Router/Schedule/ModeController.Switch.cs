using GpuRouter.Instances;

namespace GpuRouter.Schedule;

// The switch itself: one at a time, measured phase by phase.
internal sealed partial class ModeController
{
    public async Task SwitchToAsync(ModelMode target, CancellationToken ct, SwitchReport? report = null)
    {
        await _switching.WaitAsync(ct);
        try
        {
            var from = Mode;
            if (target == from) return;
            var leaving = _registry.All.Where(r => r.Definition.IsManaged && !r.Definition.Model.ServesIn(target)).ToList();
            report ??= new SwitchReport(from, target, _time.GetUtcNow());
            report = new SwitchReport(from, target, report.StartedAt)
            {
                Leaving = [.. leaving.Select(r => r.Name)],
                Arriving = [.. Arriving(target).Select(r => r.Name)],
            };
            // From here new requests resolve in the new mode; the leaving instances only finish what they hold.
            _current = _current with { Mode = target, Since = _time.GetUtcNow(), LastSwitch = report };
            LogSwitching(_logger, report.From, report.To, string.Join(",", report.Leaving));
            var started = _time.GetTimestamp();

            // One drain per leaving instance, inside its owner (in flight and queued finish, bounded by
            // routing.drainTimeout); each then sleeps, where the arriving instances fit beside its
            // residual share and the host's RAM allows, or stops. The phase turns to "stopping" once
            // every one of them has drained.
            var arriving = Arriving(target).Select(r => r.Definition).ToList();
            var sleepers = _planner?.MaySleep([.. leaving.Select(r => r.Definition)], arriving) ?? new HashSet<string>();
            var toDrain = leaving.Count;
            var stopStarted = started;
            void Drained()
            {
                if (Interlocked.Decrement(ref toDrain) != 0) return;
                report.DrainMs = _time.GetElapsedTime(started).TotalMilliseconds;
                report.Phase = "stopping";
                stopStarted = _time.GetTimestamp();
            }
            if (leaving.Count == 0) Drained();
            var outcomes = await Task.WhenAll(leaving.Select(r => r.Owner.LeaveAsync(
                new LeaveRequest($"mode switch to {report.To}", _lifecycle.DrainTimeout, sleepers.Contains(r.Name), Drained), ct)));
            report.DrainMs ??= _time.GetElapsedTime(started).TotalMilliseconds;
            report.StopMs = _time.GetElapsedTime(stopStarted).TotalMilliseconds;
            report.Slept = [.. leaving.Where((_, i) => outcomes[i] == LeaveOutcome.Slept).Select(r => r.Name)];
            report.Phase = "starting";
            var startStarted = _time.GetTimestamp();
            var results = await Task.WhenAll(Arriving(target).Select(r => r.Owner.EnsureReadyAsync(null, ct).AsTask()));
            report.StartMs = _time.GetElapsedTime(startStarted).TotalMilliseconds;
            report.TotalMs = _time.GetElapsedTime(started).TotalMilliseconds;
            report.Error = results.FirstOrDefault(r => r.Error is not null).Error?.Message;
            report.Phase = report.Error is null ? "done" : "failed";
            LogSwitched(_logger, report.To, report.DrainMs.Value, report.StopMs.Value, report.StartMs.Value);
        }
        finally
        {
            _switching.Release();
        }
    }

    private IEnumerable<InstanceRuntime> Arriving(ModelMode mode) =>
        _registry.All.Where(r => r.Definition.IsManaged && r.Definition.Preload && r.Definition.Model.ServesIn(mode));

    private void Preload(ModelMode mode)
    {
        foreach (var instance in Arriving(mode)) instance.Owner.Preload();
    }

    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Mode is {Mode} (override {Override})")]
    private static partial void LogMode(ILogger logger, string mode, string @override);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Switching {From} -> {To}; leaving: {Leaving}")]
    private static partial void LogSwitching(ILogger logger, string from, string to, string leaving);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Now in {Mode} mode: drain {DrainMs:0} ms, stop {StopMs:0} ms, start {StartMs:0} ms")]
    private static partial void LogSwitched(ILogger logger, string mode, double drainMs, double stopMs, double startMs);
}

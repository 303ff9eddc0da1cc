using AdmissionResult = GpuRouter.Admission.Admission;
using GpuRouter.Admission;
using GpuRouter.Instances;

namespace Router.Tests.Admission;

/// <summary>
/// One random sequence of gate operations for <see cref="InstanceGatePropertyTests"/>, checking
/// the gate against what the test itself holds after every step.
/// </summary>
internal sealed class GateModelRun(Random random)
{
    private readonly CountingTimeProvider _clock = new();
    private readonly List<Pending> _pending = [];
    private readonly List<AdmissionLease> _held = [];
    private readonly System.Text.StringBuilder _log = new();
    private InstanceGate _gate = null!;
    private IdleReservation? _reservation;
    private bool _closed;
    private int _arrivals;

    public string Log => _log.ToString();

    public void Execute(int steps)
    {
        _gate = new InstanceGate("p", random.Next(1, 5), random.Next(0, 7), _clock);
        _log.Append($"limit {_gate.Limit}, maxQueue {_gate.MaxQueue}\n");
        for (var step = 0; step < steps; step++)
        {
            var inFlightBefore = _gate.InFlight;
            var reservedBefore = _reservation is not null;
            var op = Step();
            _log.Append(op).Append('\n');
            var grants = Collect();
            Check(inFlightBefore, reservedBefore && _reservation is not null, grants);
        }

        Settle();
    }

    private string Step()
    {
        var roll = random.Next(100);
        if (roll < 40)
        {
            return Acquire();
        }

        if (roll < 60 && _held.Count > 0)
        {
            var i = random.Next(_held.Count);
            var lease = _held[i];
            _held.RemoveAt(i);
            lease.Dispose();
            if (random.Next(4) == 0)
            {
                lease.Dispose();
            }

            return "release";
        }

        if (roll < 70 && _pending.Any(p => p.Cancellation is not null))
        {
            var candidates = _pending.Where(p => p.Cancellation is not null).ToList();
            candidates[random.Next(candidates.Count)].Cancellation!.Cancel();
            return "cancel";
        }

        if (roll < 82)
        {
            var ms = random.Next(0, 3000);
            _clock.Advance(TimeSpan.FromMilliseconds(ms));
            return $"advance {ms}ms";
        }

        if (roll < 89)
        {
            var limit = random.Next(1, 5);
            _gate.SetLimit(limit);
            return $"limit {limit}";
        }

        if (roll < 97)
        {
            if (_reservation is { } held)
            {
                _reservation = null;
                held.Dispose();
                return "unreserve";
            }

            var idle = _gate.InFlight == 0 && _gate.Queued == 0;
            var reserved = _gate.TryReserveIdle(out var reservation);
            Assert.Equal(idle, reserved);
            _reservation = reserved ? reservation : null;
            return $"reserve {reserved}";
        }

        _closed = !_closed;
        if (_closed)
        {
            _gate.Close(AdmissionRefusal.Closed);
        }
        else
        {
            _gate.Reopen();
        }

        return _closed ? "close" : "reopen";
    }

    private string Acquire()
    {
        var priority = (RequestPriority)random.Next(3);
        var timeout = random.Next(6) switch
        {
            0 => TimeSpan.Zero,
            1 => Timeout.InfiniteTimeSpan,
            _ => TimeSpan.FromMilliseconds(random.Next(1, 5000)),
        };
        var cts = random.Next(3) == 0 ? new CancellationTokenSource() : null;
        var queuedBefore = _gate.Queued;
        var canEnter = !_closed && _reservation is null && queuedBefore == 0 && _gate.InFlight < _gate.Limit;
        var task = _gate.AcquireAsync(priority, timeout, cts?.Token ?? CancellationToken.None).AsTask();
        var entry = new Pending(task, priority, timeout, _clock.GetTimestamp(), _arrivals++, cts);
        if (task.IsCompleted)
        {
            var admission = task.Result;
            var expected = _closed ? AdmissionRefusal.Closed
                : canEnter ? (AdmissionRefusal?)null
                : queuedBefore >= _gate.MaxQueue ? AdmissionRefusal.QueueFull
                : AdmissionRefusal.QueueTimeout;
            Assert.Equal(expected, admission.Refusal);
            if (admission.IsGranted)
            {
                _held.Add(admission.Lease);
            }
        }
        else
        {
            Assert.False(canEnter, "a request queued although a slot was free");
            _pending.Add(entry);
        }

        return $"acquire {priority} timeout {timeout.TotalMilliseconds}ms cts {cts is not null} -> {(task.IsCompleted ? task.Result.ToString() : "queued")}";
    }

    private List<Pending> Collect()
    {
        var granted = new List<Pending>();
        foreach (var entry in _pending.Where(p => p.Task.IsCompleted).ToList())
        {
            _pending.Remove(entry);
            if (entry.Task.IsCanceled)
            {
                Assert.True(entry.Cancellation?.IsCancellationRequested, "cancelled without a cancellation");
                continue;
            }

            var admission = entry.Task.Result;
            switch (admission.Refusal)
            {
                case null:
                    _held.Add(admission.Lease);
                    granted.Add(entry);
                    break;
                case AdmissionRefusal.QueueTimeout:
                    Assert.True(_clock.GetElapsedTime(entry.EnqueuedAt) >= entry.Timeout, "timed out early");
                    break;
                case AdmissionRefusal.Closed:
                    Assert.True(_closed, "closed refusal from an open gate");
                    break;
                default:
                    Assert.Fail($"a queued waiter ended with {admission.Refusal}");
                    break;
            }
        }

        return granted;
    }

    private void Check(int inFlightBefore, bool reservedThroughout, List<Pending> grants)
    {
        var inFlight = _gate.InFlight;
        Assert.Equal(_held.Count, inFlight);
        Assert.Equal(_pending.Count, _gate.Queued);
        Assert.True(inFlight <= Math.Max(_gate.Limit, inFlightBefore), $"in flight {inFlight} over limit {_gate.Limit}");
        if (inFlight > inFlightBefore)
        {
            Assert.True(inFlight <= _gate.Limit, $"grew to {inFlight} past limit {_gate.Limit}");
        }

        if (reservedThroughout)
        {
            Assert.Empty(grants);
        }

        if (_pending.Count > 0 && _reservation is null && !_closed)
        {
            Assert.True(inFlight >= _gate.Limit, "a slot is free while requests wait");
        }

        foreach (var granted in grants)
        {
            Assert.DoesNotContain(_pending, p => p.Priority < granted.Priority
                || (p.Priority == granted.Priority && p.Arrival < granted.Arrival));
        }

        var armed = _pending.Count(p => p.Timeout != Timeout.InfiniteTimeSpan);
        Assert.Equal(armed, _clock.ActiveTimers);
    }

    private void Settle()
    {
        _reservation?.Dispose();
        _reservation = null;
        for (var round = 0; round < 1000 && (_held.Count > 0 || _pending.Count > 0); round++)
        {
            foreach (var lease in _held)
            {
                lease.Dispose();
            }

            _held.Clear();
            _clock.Advance(TimeSpan.FromSeconds(1));
            Collect();
        }

        Assert.Equal(0, _gate.InFlight);
        Assert.Equal(0, _gate.Queued);
        Assert.Equal(0, _clock.ActiveTimers);
        Assert.True(_gate.IsIdle);
        foreach (var cts in _pending.Select(p => p.Cancellation))
        {
            cts?.Dispose();
        }
    }

    private sealed record Pending(
        Task<AdmissionResult> Task,
        RequestPriority Priority,
        TimeSpan Timeout,
        long EnqueuedAt,
        int Arrival,
        CancellationTokenSource? Cancellation);
}

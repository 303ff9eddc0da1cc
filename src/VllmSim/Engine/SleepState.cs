namespace VllmSim.Engine;

/// <summary>
/// vLLM's sleep mode as the engine sees it. /sleep pauses scheduling at once (new requests are
/// parked: neither served nor refused) and, in the default mode, aborts every request the engine
/// holds; once the weights are offloaded (level 1) or discarded (level 2) /is_sleeping turns true.
/// /wake_up brings the tags back ("weights", "kv_cache"; all when none is named) and scheduling
/// resumes once nothing sleeps. After a level-2 sleep the weights are garbage until reload_weights,
/// and what ran on them stays in the prefix cache until reset_prefix_cache.
/// </summary>
internal sealed class SleepState
{
    public const string Weights = "weights";
    public const string KvCache = "kv_cache";
    public const string Scheduling = "scheduling";

    private readonly Lock gate = new();
    private readonly HashSet<string> asleep = new(StringComparer.Ordinal);
    private TaskCompletionSource awake = Completed();
    private CancellationTokenSource epoch = new();
    private bool freeze;
    private int level;
    private bool weightsDropped;
    private bool cacheTainted;

    /// <summary>/is_sleeping: weights or KV cache are offloaded (a level-0 pause is not sleep).</summary>
    public bool IsSleeping
    {
        get { lock (gate) { return asleep.Count > 0; } }
    }

    /// <summary>The level of the current sleep; 0 when awake or only paused.</summary>
    public int Level
    {
        get { lock (gate) { return asleep.Count > 0 ? level : 0; } }
    }

    public bool IsGateOpen => awake.Task.IsCompleted;

    /// <summary>Running requests stop between tokens (a sleep in "keep" mode).</summary>
    public bool FreezesRunning => Volatile.Read(ref freeze) && !IsGateOpen;

    /// <summary>Cancelled by the next /sleep in "abort" mode: requests take it when the engine accepts them.</summary>
    public CancellationToken Epoch
    {
        get { lock (gate) { return epoch.Token; } }
    }

    /// <summary>Output comes from garbage: dropped weights, or a prefix cache filled from them.</summary>
    public bool Garbled
    {
        get { lock (gate) { return weightsDropped || cacheTainted; } }
    }

    /// <summary>The sleeping tags as vLLM logs them.</summary>
    public string SleepingTags
    {
        get { lock (gate) { return Tags(asleep); } }
    }

    public Task WaitAwakeAsync(CancellationToken ct)
    {
        var task = awake.Task;
        return task.IsCompleted ? Task.CompletedTask : task.WaitAsync(ct);
    }

    /// <summary>Stops scheduling; in "abort" mode every request already accepted ends.</summary>
    public void Pause(PauseMode mode)
    {
        CancellationTokenSource? aborted = null;
        lock (gate)
        {
            if (awake.Task.IsCompleted)
            {
                awake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            Volatile.Write(ref freeze, mode == PauseMode.Keep);
            if (mode == PauseMode.Abort)
            {
                aborted = epoch;
                epoch = new CancellationTokenSource();
            }
        }
        aborted?.Cancel();
    }

    /// <summary>Marks the weights and KV cache asleep; false when they already were.</summary>
    public bool Offload(int sleepLevel)
    {
        lock (gate)
        {
            if (asleep.Count > 0)
            {
                return false;
            }
            level = sleepLevel;
            asleep.Add(Weights);
            asleep.Add(KvCache);
            weightsDropped |= sleepLevel >= 2;
            return true;
        }
    }

    /// <summary>Whether /wake_up has anything to do, and the warning vLLM logs when it has not.</summary>
    public string? CannotWake(IReadOnlyList<string>? tags)
    {
        lock (gate)
        {
            var paused = !awake.Task.IsCompleted;
            if (asleep.Count == 0 && !paused)
            {
                return "Executor is not sleeping.";
            }
            var unknown = tags?.FirstOrDefault(t => t != Scheduling && !asleep.Contains(t));
            return unknown is null ? null : $"Tag {unknown} is not in sleeping tags {Tags(asleep)}";
        }
    }

    /// <summary>Brings the tags back (all when null); scheduling resumes once nothing sleeps or it is named.</summary>
    public void Wake(IReadOnlyList<string>? tags)
    {
        lock (gate)
        {
            if (tags is null)
            {
                asleep.Clear();
            }
            else
            {
                asleep.ExceptWith(tags);
            }
            if (asleep.Count == 0 || tags?.Contains(Scheduling) == true)
            {
                Volatile.Write(ref freeze, false);
                awake.TrySetResult();
            }
        }
    }

    /// <summary>reload_weights: false while the weights' memory is still asleep (vLLM would write into unmapped memory).</summary>
    public bool ReloadWeights()
    {
        lock (gate)
        {
            if (asleep.Contains(Weights))
            {
                return false;
            }
            weightsDropped = false;
            return true;
        }
    }

    public void ResetPrefixCache()
    {
        lock (gate)
        {
            cacheTainted = false;
        }
    }

    /// <summary>A request ran on dropped weights: its garbage KV stays cached until the prefix cache is reset.</summary>
    public void NoteGarbageRun()
    {
        lock (gate)
        {
            cacheTainted |= weightsDropped;
        }
    }

    // Python's repr of a set of strings, as vLLM's log line prints it.
    private static string Tags(IEnumerable<string> tags) => "{" + string.Join(", ", tags.Order(StringComparer.Ordinal).Select(t => $"'{t}'")) + "}";

    private static TaskCompletionSource Completed()
    {
        var source = new TaskCompletionSource();
        source.SetResult();
        return source;
    }
}

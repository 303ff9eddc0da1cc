using GpuRouter.Lifecycle;
using Microsoft.Extensions.Time.Testing;

namespace Router.Tests.Lifecycle;

/// <summary>The room-making rule as a pure function: snapshots in, steps out; timestamps from a fake clock.</summary>
public class RoomRuleTests
{
    private const long Gib = 1L << 30;
    private readonly FakeTimeProvider _clock = new();

    // An entry whose last request was `minutesAgo` before "now" on the fake clock.
    private RoomEntry Entry(
        string name, double share, int gpu = 0, int minutesAgo = 10, bool sleeps = true, bool asleep = false, bool idle = true,
        RoomPhase? phase = null, double residual = 0.05, long hostMemory = 16 * Gib, string host = "local") =>
        new(name, [new GpuKey(host, gpu)], (int)Math.Round(share * 1000), (int)Math.Round(residual * 1000), asleep,
            phase ?? (asleep ? RoomPhase.Asleep : RoomPhase.Awake), idle, _clock.GetTimestamp() - minutesAgo * 60 * _clock.TimestampFrequency,
            sleeps, sleeps ? hostMemory : 0, asleep && sleeps);

    private static RoomSnapshot Snapshot(long budget, long available, params RoomEntry[] entries) =>
        new(entries, new Dictionary<string, HostBudget> { ["local"] = new(budget, available), ["dgx2"] = new(budget, available) });

    private static RoomSnapshot Roomy(params RoomEntry[] entries) => Snapshot(96 * Gib, 200 * Gib, entries);

    private static RoomRequest Needs(string name, double share, int gpu = 0, string host = "local") =>
        new(name, [new GpuKey(host, gpu)], (int)Math.Round(share * 1000));

    private static string Steps(RoomPlan plan) => string.Join(", ", plan.Steps.Select(s => $"{s.Action.ToString().ToLowerInvariant()} {s.Instance} ({s.Reason})"));

    public RoomRuleTests() => _clock.Advance(TimeSpan.FromHours(2));

    [Fact]
    public void Decide_RoomLeft_FitsWithoutSteps()
    {
        var plan = RoomRule.Decide(Roomy(Entry("llama_0", 0.45)), Needs("coder_0", 0.55));

        Assert.Equal(RoomVerdict.Fits, plan.Verdict);
        Assert.Empty(plan.Steps);
    }

    [Fact]
    public void Decide_SharesInThousandths_095Plus005FitsAnd095Plus006DoesNot()
    {
        var sleeper = Entry("coder_0", 0.9, asleep: true, residual: 0.05);

        Assert.Equal(RoomVerdict.Fits, RoomRule.Decide(Roomy(sleeper), Needs("qwen_72b", 0.95)).Verdict);
        var tight = Entry("coder_0", 0.9, asleep: true, residual: 0.06);
        Assert.Equal("stop coder_0 (vram)", Steps(RoomRule.Decide(Roomy(tight), Needs("qwen_72b", 0.95))));
    }

    [Fact]
    public void Decide_FullGpu_SleepsTheLeastRecentlyUsedSleeperOnly()
    {
        var older = Entry("llama_0", 0.45, minutesAgo: 30);
        var newer = Entry("coder_0", 0.45, minutesAgo: 5);

        var plan = RoomRule.Decide(Roomy(older, newer), Needs("r1_0", 0.5));

        Assert.Equal(RoomVerdict.MakeRoom, plan.Verdict);
        Assert.Equal("sleep llama_0 (vram)", Steps(plan));
    }

    [Fact]
    public void Decide_SleepersGoToSleepBeforeAnInstanceWithoutSleepIsStopped()
    {
        var plain = Entry("bge_m3", 0.4, minutesAgo: 60, sleeps: false);
        var sleeper = Entry("llama_0", 0.55, minutesAgo: 1);

        Assert.Equal("sleep llama_0 (vram)", Steps(RoomRule.Decide(Roomy(plain, sleeper), Needs("coder_0", 0.5))));
        Assert.Equal("stop bge_m3 (vram)", Steps(RoomRule.Decide(Roomy(plain, sleeper with { CanSleep = false, HostMemory = 0 }), Needs("coder_0", 0.4))));
    }

    [Fact]
    public void Decide_BusyHolders_AreNeverTouched_AndNothingIsDoneWhileItMustWait()
    {
        var busy = Entry("llama_0", 0.6, minutesAgo: 60, idle: false);
        var idle = Entry("coder_0", 0.3, minutesAgo: 50);
        var starting = Entry("r1_0", 0.1, phase: RoomPhase.Busy);

        var plan = RoomRule.Decide(Roomy(busy, idle, starting), Needs("qwen_0", 0.5));

        Assert.Equal(RoomVerdict.Wait, plan.Verdict);
        Assert.Empty(plan.Steps);
        Assert.Equal(["llama_0", "r1_0"], plan.Holders.Select(h => h.Name));
    }

    [Fact]
    public void Decide_SleepingIsNotEnough_StopsSleepersOnThatGpuLeastRecentlyUsedFirst()
    {
        var oldSleeper = Entry("r1_0", 0.9, minutesAgo: 90, asleep: true, residual: 0.1);
        var newSleeper = Entry("coder_0", 0.9, minutesAgo: 20, asleep: true, residual: 0.1);
        var awake = Entry("llama_0", 0.7, minutesAgo: 5, residual: 0.1);

        var plan = RoomRule.Decide(Roomy(oldSleeper, newSleeper, awake), Needs("qwen_0", 0.8));

        Assert.Equal("sleep llama_0 (vram), stop r1_0 (vram)", Steps(plan));
    }

    [Fact]
    public void Decide_SleepOverTheHostBudget_StopsTheLeastRecentlyUsedSleeperFirst()
    {
        var oldest = Entry("r1_1", 0.5, gpu: 1, minutesAgo: 120, asleep: true);
        var recent = Entry("coder_1", 0.5, gpu: 1, minutesAgo: 30, asleep: true);
        var awake = Entry("llama_0", 0.9, minutesAgo: 10);

        // 40 GiB: two sleepers of 16 GiB hold 32, a third would make 48.
        var plan = RoomRule.Decide(Snapshot(40 * Gib, 200 * Gib, oldest, recent, awake), Needs("qwen_0", 0.9));

        Assert.Equal("stop r1_1 (host_memory), sleep llama_0 (vram)", Steps(plan));
    }

    [Fact]
    public void Decide_BudgetCannotHoldIt_StopsTheInstanceInsteadOfSleepingIt()
    {
        var awake = Entry("llama_0", 0.9);

        Assert.Equal("stop llama_0 (vram)", Steps(RoomRule.Decide(Snapshot(8 * Gib, 200 * Gib, awake), Needs("qwen_0", 0.9))));
        // The budget would hold it, but MemAvailable (less the margin) would not.
        Assert.Equal("stop llama_0 (vram)", Steps(RoomRule.Decide(Snapshot(96 * Gib, 10 * Gib, awake), Needs("qwen_0", 0.9))));
    }

    [Fact]
    public void Decide_PeakOfASwitch_TheWakingInstanceStillCountsAgainstTheBudget()
    {
        // coder_0 sleeps (16 GiB in RAM) and wakes; llama_0 falls asleep meanwhile: 32 GiB at the peak.
        var waking = Entry("coder_0", 0.9, asleep: true);
        var awake = Entry("llama_0", 0.9);

        Assert.Equal("sleep llama_0 (vram)", Steps(RoomRule.Decide(Snapshot(32 * Gib, 200 * Gib, waking, awake), Needs("coder_0", 0.9))));
        Assert.Equal("stop llama_0 (vram)", Steps(RoomRule.Decide(Snapshot(31 * Gib, 200 * Gib, waking, awake), Needs("coder_0", 0.9))));
    }

    [Fact]
    public void Decide_AWake_NeedsOnlyWhatItsResidualDoesNotAlreadyHold()
    {
        var self = Entry("coder_0", 0.5, asleep: true);
        var other = Entry("llama_0", 0.5);

        var plan = RoomRule.Decide(Roomy(self, other), Needs("coder_0", 0.5));

        Assert.Equal(RoomVerdict.Fits, plan.Verdict);
    }

    [Fact]
    public void Decide_TheSameGpuIndexOnAnotherHost_IsAnotherGpu()
    {
        var remote = Entry("llama_0", 0.9, host: "dgx2");

        Assert.Equal(RoomVerdict.Fits, RoomRule.Decide(Roomy(remote), Needs("coder_0", 0.9)).Verdict);
        Assert.Equal("sleep llama_0 (vram)", Steps(RoomRule.Decide(Roomy(remote), Needs("coder_0", 0.9, host: "dgx2"))));
    }

    [Fact]
    public void SleepOnItsOwn_WithinBudget_NeedsNoStops_OverIt_StopsTheOldestSleeper()
    {
        var sleeper = Entry("r1_1", 0.5, gpu: 1, minutesAgo: 120, asleep: true);
        var awake = Entry("llama_0", 0.9, minutesAgo: 15);

        Assert.Empty(RoomRule.SleepOnItsOwn(Snapshot(40 * Gib, 200 * Gib, sleeper, awake), "llama_0")!);
        Assert.Equal(["r1_1"], RoomRule.SleepOnItsOwn(Snapshot(20 * Gib, 200 * Gib, sleeper, awake), "llama_0")!.Select(s => s.Instance));
        Assert.Null(RoomRule.SleepOnItsOwn(Snapshot(8 * Gib, 200 * Gib, awake), "llama_0"));
    }

    [Fact]
    public void SleepBeside_The72bAt095_LeavesRoomForOne005SleeperPerGpu_TheMostRecentlyUsed()
    {
        var llama0 = Entry("llama_0", 0.9, gpu: 0, minutesAgo: 5);
        var coder0 = Entry("coder_0", 0.9, gpu: 0, minutesAgo: 50, asleep: true);
        var llama1 = Entry("llama_1", 0.6, gpu: 1, minutesAgo: 30);
        var bge1 = Entry("bge_m3_1", 0.15, gpu: 1, minutesAgo: 1, sleeps: false);
        var arriving = new RoomRequest("qwen_72b_dual", [new GpuKey("local", 0), new GpuKey("local", 1)], 950);

        var sleepers = RoomRule.SleepBeside(Roomy(llama0, coder0, llama1, bge1), [llama0, coder0, llama1, bge1], [arriving]);

        Assert.Equal(["llama_0", "llama_1"], sleepers.Order());
        // A budget for one 16 GiB sleeper: the most recently used one keeps it.
        Assert.Equal(["llama_0"], RoomRule.SleepBeside(Snapshot(20 * Gib, 200 * Gib, llama0, llama1), [llama0, llama1], [arriving]));
    }

    [Fact]
    public void IdleRule_TtlStopsAwakeAndAsleep_AfterSleeps_BusyAndChangingAreLeftAlone()
    {
        var ttl = TimeSpan.FromMinutes(30);
        var after = TimeSpan.FromMinutes(10);
        IdleEntry At(string name, RoomPhase phase, TimeSpan idleFor, bool idle = true, TimeSpan? sleepAfter = null) =>
            new(name, phase, idle, idleFor, ttl, sleepAfter);

        var steps = IdleRule.Due(
        [
            At("awake_past_ttl", RoomPhase.Awake, TimeSpan.FromMinutes(31)),
            At("asleep_past_ttl", RoomPhase.Asleep, TimeSpan.FromMinutes(30)),
            At("asleep_before_ttl", RoomPhase.Asleep, TimeSpan.FromMinutes(29), sleepAfter: after),
            At("awake_past_after", RoomPhase.Awake, TimeSpan.FromMinutes(11), sleepAfter: after),
            At("awake_before_after", RoomPhase.Awake, TimeSpan.FromMinutes(9), sleepAfter: after),
            At("awake_no_after", RoomPhase.Awake, TimeSpan.FromMinutes(29)),
            At("busy", RoomPhase.Awake, TimeSpan.FromMinutes(60), idle: false),
            At("waking", RoomPhase.Busy, TimeSpan.FromMinutes(60)),
        ]);

        Assert.Equal("stop awake_past_ttl (ttl), stop asleep_past_ttl (ttl), sleep awake_past_after (after)",
            string.Join(", ", steps.Select(s => $"{s.Action.ToString().ToLowerInvariant()} {s.Instance} ({s.Reason})")));
    }
}

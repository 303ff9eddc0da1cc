using System.Net;
using VllmSim.Options;
using VllmSim.Tests.Support;
using static VllmSim.Tests.Api.SleepTests;

namespace VllmSim.Tests.Api;

/// <summary>--wake-fault: the failures a router's wake path must survive.</summary>
public sealed class SleepFaultTests
{
    [Fact]
    public async Task WakeFaultError_Answers500_AndTheEngineStaysAsleep()
    {
        await using var sim = await StartSleepy(o => o.WakeFault = WakeFault.Error);
        await PostAsync(sim, "/sleep");

        var (status, body) = await sim.Client.PostJsonAsync("/wake_up", "{}");

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal(500, body.GetProperty("error").GetProperty("code").GetInt32());
        Assert.True(await IsSleepingAsync(sim));
        Assert.Contains("ERROR", sim.Log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WakeFaultHang_NeverAnswers_UntilTheClientGivesUp()
    {
        await using var sim = await StartSleepy(o => o.WakeFault = WakeFault.Hang);
        await PostAsync(sim, "/sleep");
        using var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var wake = sim.Client.PostAsync("/wake_up", null, giveUp.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wake);
        Assert.True(await IsSleepingAsync(sim));
    }

    [Fact]
    public async Task WakeFaultStaysAsleep_Answers200_ButIsSleepingStaysTrueAndRequestsStayParked()
    {
        await using var sim = await StartSleepy(o => o.WakeFault = WakeFault.StaysAsleep);
        await PostAsync(sim, "/sleep");
        var chat = sim.Client.PostJsonAsync("/v1/chat/completions", Http.Chat("parked"));
        await Eventually.TrueAsync(() => sim.Stats.Waiting == 1, "the chat parked");

        Assert.Equal(HttpStatusCode.OK, await PostAsync(sim, "/wake_up"));

        Assert.True(await IsSleepingAsync(sim));
        Assert.False(chat.IsCompleted);
        sim.Server.Options.WakeFault = WakeFault.None;
        await PostAsync(sim, "/wake_up");
        Assert.Equal(HttpStatusCode.OK, (await chat.WaitAsync(TimeSpan.FromSeconds(5))).Status);
    }
}

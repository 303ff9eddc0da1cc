using GpuRouter.Docker;
using GpuRouter.Hosts;
using Microsoft.Extensions.Time.Testing;

namespace GpuRouter.Tests.Hosts;

public sealed class HostStatusBoardTests
{
    private static GpuHostOptions Host(string name) => new()
    {
        Name = name, Docker = $"tcp://{name}:2376", Tls = new DockerTlsFiles("/ca.pem", "/cert.pem", "/key.pem"),
        Address = "10.0.0.7", PortFirst = 8100, PortLast = 8199, Gpus = [new HostGpu(0, "any", null)], NvidiaGpus = true,
    };

    [Fact]
    public void Snapshot_LocalFirstThenConfigOrder_AllUnknownAtStart()
    {
        var board = new HostStatusBoard("unix:///var/run/docker.sock", new HostsOptions([Host("b"), Host("a")]), new FakeTimeProvider());

        var snapshot = board.Snapshot();

        Assert.Equal(["local", "b", "a"], snapshot.Select(h => h.Name));
        Assert.All(snapshot, h => Assert.Equal(HostReachability.Unknown, h.Reachability));
        Assert.Null(snapshot[0].Address);
        Assert.Equal("10.0.0.7", snapshot[1].Address);
        Assert.True(board.IsReachable("b"));
    }

    [Fact]
    public void MarkUnreachable_OnlyThatHost_SinceMovesOnChangeOnly()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-02T10:00:00Z"));
        var board = new HostStatusBoard("unix:///var/run/docker.sock", new HostsOptions([Host("gpu2")]), time);

        time.Advance(TimeSpan.FromMinutes(1));
        board.MarkUnreachable("gpu2", "connection refused");
        var down = board.Of("gpu2");
        time.Advance(TimeSpan.FromMinutes(1));
        board.MarkUnreachable("gpu2", "timed out");

        Assert.False(board.IsReachable("gpu2"));
        Assert.True(board.IsReachable(null));
        Assert.Equal(down.Since, board.Of("gpu2").Since);
        Assert.Equal("timed out", board.Of("gpu2").Reason);

        time.Advance(TimeSpan.FromMinutes(1));
        board.MarkReachable("gpu2");
        Assert.Equal(HostReachability.Reachable, board.Of("gpu2").Reachability);
        Assert.Null(board.Of("gpu2").Reason);
        Assert.Equal(time.GetUtcNow(), board.Of("gpu2").Since);
    }

    [Fact]
    public void Mark_UnknownHost_Throws()
    {
        var board = new HostStatusBoard("unix:///var/run/docker.sock", HostsOptions.None, new FakeTimeProvider());

        Assert.Throws<ArgumentException>(() => board.MarkReachable("nope"));
        Assert.Equal("local", board.Of("nope").Name);
    }
}

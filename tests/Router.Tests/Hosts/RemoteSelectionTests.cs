using GpuRouter.Admission;
using GpuRouter.Configuration;
using GpuRouter.Hosts;
using GpuRouter.Http;
using GpuRouter.Instances;
using GpuRouter.Lifecycle;
using GpuRouter.Routing;
using Microsoft.Extensions.Time.Testing;

namespace Router.Tests.Hosts;

/// <summary>Choosing among instances on several hosts: an unreachable host's instances are passed over, and alone they give host_unreachable.</summary>
public sealed class RemoteSelectionTests : IDisposable
{
    private readonly RemoteHostConfig _config = new();

    public void Dispose() => _config.Dispose();

    private sealed class Owners : IInstanceOwnerFactory
    {
        public IInstanceOwner Create(InstanceDefinition definition, IInstanceLoad load) => new EndpointInstanceOwner(definition);
    }

    private (InstanceSelector Selector, HostStatusBoard Board, ModelDefinition Model) Build(string instances)
    {
        var settings = _config.Load($$"""
            routing: { interactiveGpu: 0, batchGpu: 0 }
            models:
              - name: big
                hfModel: org/big
                instances:
            {{instances}}
            """);
        var models = new ModelsOptions(settings.Models);
        var registry = new InstanceRegistry(models, new InstanceGates(models, TimeProvider.System), new Owners());
        var board = new HostStatusBoard("unix:///var/run/docker.sock", settings.Hosts, new FakeTimeProvider());
        return (new InstanceSelector(settings.Routing, registry, board), board, settings.Models[0]);
    }

    private const string RemoteThenLocal = """
              - { name: big_dgx, host: dgx, gpus: [0], maxModelLen: 8192 }
              - { name: big_local, gpus: [1], maxModelLen: 8192 }
        """;

    [Fact]
    public void RemoteInstanceOnGpu0_IsNotTakenForTheLocalGpuPreference_ButFirstInConfigOrderOtherwise()
    {
        var (selector, _, big) = Build("""
                  - { name: big_dgx, host: dgx, gpus: [0], maxModelLen: 8192 }
                  - { name: big_local, gpus: [0], maxModelLen: 8192 }
            """);
        Assert.Equal("big_local", selector.Select(big, 10, 10, ClientSource.Interactive).Instance!.Name);

        var (firstFit, _, model) = Build(RemoteThenLocal);
        var selection = firstFit.Select(model, 10, 10, ClientSource.Interactive);
        Assert.Equal("big_dgx", selection.Instance!.Name);
        Assert.False(selection.SpilledOver);
    }

    [Fact]
    public void HostUnreachable_ItsInstanceIsPassedOver_ForTheOtherHostsOne()
    {
        var (selector, board, big) = Build(RemoteThenLocal);
        board.MarkUnreachable("dgx", "connection refused");

        var selection = selector.Select(big, 10, 10, ClientSource.Batch);

        Assert.Equal("big_local", selection.Instance!.Name);
        Assert.True(selection.SpilledOver);
    }

    [Fact]
    public void HostUnreachable_OnlyItsInstancesFit_503HostUnreachableNamingTheHostWithRetryAfter()
    {
        var (selector, board, big) = Build("""
                  - { name: big_dgx, host: dgx, gpus: [0, 1], maxModelLen: 32768 }
                  - { name: big_local, gpus: [1], maxModelLen: 4096 }
            """);
        board.MarkUnreachable("dgx", "connection refused");

        var selection = selector.Select(big, 6000, 100, ClientSource.Batch);

        Assert.Null(selection.Instance);
        Assert.Equal("host_unreachable", selection.Error!.Code);
        Assert.Contains("Host dgx is unreachable", selection.Error.Message, StringComparison.Ordinal);
        Assert.Contains("connection refused", selection.Error.Message, StringComparison.Ordinal);
        var http = RouterError.From(selection.Error);
        Assert.Equal(503, http.Status);
        Assert.Equal("service_unavailable", http.Type);
        Assert.Equal(TimeSpan.FromSeconds(10), http.RetryAfter);
    }

    [Fact]
    public void HostBackReachable_ItsInstanceIsChosenAgain()
    {
        var (selector, board, big) = Build(RemoteThenLocal);
        board.MarkUnreachable("dgx", "gone");
        board.MarkReachable("dgx");

        Assert.Equal("big_dgx", selector.Select(big, 10, 10, ClientSource.Batch).Instance!.Name);
    }

    [Fact]
    public void RemoteInstance_GpuLabelNamesTheHost()
    {
        var settings = _config.Load("""
            models:
              - name: big
                hfModel: org/big
                instances:
                  - { name: big_dgx, host: dgx, gpus: [0, 1] }
            """);
        Assert.Equal("dgx:0,1", settings.Instances.First().GpuLabel);
    }
}

using GpuRouter.Docker;
using GpuRouter.Lifecycle;

namespace Router.Tests.Hosts;

/// <summary>The container of an instance on another host: where it listens or publishes, where it is reached, and its own API key.</summary>
public sealed class RemoteContainerSpecTests : IDisposable
{
    private readonly RemoteHostConfig _config = new();
    private readonly string _state = Directory.CreateTempSubdirectory("remote-spec-state-").FullName;

    public void Dispose()
    {
        _config.Dispose();
        Directory.Delete(_state, recursive: true);
    }

    private ContainerPlan Plan(string hostExtra, int port = 18005, string? state = null)
    {
        var settings = _config.Load("""
            models:
              - name: big
                hfModel: org/big
                instances:
                  - { name: big_dgx, host: dgx, gpus: [0, 1], maxModelLen: 8192 }
            """, hostExtra);
        var host = settings.Hosts.Find("dgx")!;
        var docker = new DockerOptions { Network = host.Network, PortFirst = host.PortFirst, PortLast = host.PortLast, NvidiaGpus = host.NvidiaGpus };
        var factory = new ContainerSpecFactory(docker, "owner123", _ => null, ContainerSite.Of(host), new BackendKeys(state ?? _state));
        return factory.Create(settings.Instances.First(), port);
    }

    private static string? Arg(ContainerPlan plan, string flag)
    {
        var args = plan.Spec.Cmd!.ToList();
        var at = args.IndexOf(flag);
        return at >= 0 ? args[at + 1] : null;
    }

    [Fact]
    public void HostNetwork_ListensOnTheAddress_NeverLoopback_ReachedThere_WithItsKey()
    {
        var plan = Plan("network: host");

        Assert.Equal("dgx.tailnet", Arg(plan, "--host"));
        Assert.Equal("18005", Arg(plan, "--port"));
        Assert.Equal(new Uri("http://dgx.tailnet:18005/"), plan.BaseAddress);
        Assert.Equal("host", plan.Spec.HostConfig!.NetworkMode);
        Assert.StartsWith("sk-router-", plan.ApiKey, StringComparison.Ordinal);
        Assert.Equal(plan.ApiKey, Arg(plan, "--api-key"));
        Assert.DoesNotContain(plan.ApiKey!, string.Join(' ', plan.Spec.Labels.Values), StringComparison.Ordinal);
    }

    [Fact]
    public void HostNetwork_WithBind_ListensOnTheBindAddress()
    {
        var plan = Plan("network: host\n    bind: 100.64.0.7");

        Assert.Equal("100.64.0.7", Arg(plan, "--host"));
        Assert.Equal(new Uri("http://dgx.tailnet:18005/"), plan.BaseAddress);
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("bind: 100.64.0.7", "100.64.0.7")]
    public void PublishedPort_OnTheBindAddress_OrEveryInterfaceForANamedAddress(string extra, string hostIp)
    {
        var plan = Plan(extra);

        var binding = Assert.Single(plan.Spec.HostConfig!.PortBindings["8000/tcp"]);
        Assert.Equal(hostIp, binding.HostIP);
        Assert.Equal("18005", binding.HostPort);
        Assert.Equal("0.0.0.0", Arg(plan, "--host"));
    }

    [Fact]
    public void Key_SameForTheSameSecretAndName_AnotherStateDirAnotherKey_TheHashDoesNotChange()
    {
        var first = Plan("network: host");
        var again = Plan("network: host");
        var other = Directory.CreateTempSubdirectory("remote-spec-other-").FullName;
        try
        {
            var elsewhere = Plan("network: host", state: other);
            Assert.Equal(first.ApiKey, again.ApiKey);
            Assert.NotEqual(first.ApiKey, elsewhere.ApiKey);
            Assert.Equal(first.SpecHash, elsewhere.SpecHash);
        }
        finally
        {
            Directory.Delete(other, recursive: true);
        }
    }

    [Fact]
    public void Secret_32RandomBytes_Mode0600_ReadBackByTheNextRouter()
    {
        var keys = new BackendKeys(_state);
        var key = keys.KeyFor("big_dgx");
        var path = Path.Combine(_state, BackendKeys.SecretFile);

        Assert.Equal(32, new FileInfo(path).Length);
        if (OperatingSystem.IsLinux()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(key, new BackendKeys(_state).KeyFor("big_dgx"));
        Assert.NotEqual(key, keys.KeyFor("big_dgx2"));
        Assert.Equal("args: [api key hidden] end", keys.Redact("big_dgx", $"args: {key} end"));
    }
}

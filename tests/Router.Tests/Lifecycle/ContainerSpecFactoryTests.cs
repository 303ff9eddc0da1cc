using GpuRouter.Configuration;
using GpuRouter.Lifecycle;

namespace Router.Tests.Lifecycle;

public class ContainerSpecFactoryTests
{
    private static RouterSettings Settings(string docker) => ConfigLoader.Load($$"""
        docker: { {{docker}} }
        models:
          - name: qwen-72b
            image: vllm/vllm-openai:latest
            hfModel: Qwen/Qwen2.5-72B-Instruct-AWQ
            args: ["--quantization", "awq"]
            instances:
              - { name: qwen_72b_dual, gpus: [0, 1], maxModelLen: 16384, maxConcurrent: 2, gpuMemoryUtilization: 0.95 }
          - name: llama
            hfModel: meta-llama/Llama-3.1-8B-Instruct
            instances:
              - { name: llama_1, gpus: [1], maxModelLen: 8192, maxConcurrent: 6, gpuMemoryUtilization: 0.6, args: ["--enable-prefix-caching"] }
        """, "test.yaml");

    private static ContainerPlan Plan(string docker, string instance, int? port, Func<string, string?>? env = null)
    {
        var settings = Settings(docker);
        var factory = new ContainerSpecFactory(settings.Docker, "owner123", env ?? (_ => null));
        return factory.Create(settings.Instances.Single(i => i.Name == instance), port);
    }

    [Fact]
    public void Create_TensorParallelInstance_HasVllmArgsDeviceRequestAndHostIpc()
    {
        var plan = Plan("network: llm_net, hfCache: /srv/hf-cache", "qwen_72b_dual", null);
        var args = plan.Spec.Cmd!;
        string Arg(string flag) => args[args.ToList().IndexOf(flag) + 1];
        Assert.Equal("Qwen/Qwen2.5-72B-Instruct-AWQ", Arg("--model"));
        Assert.Equal("qwen-72b", Arg("--served-model-name"));
        Assert.Equal("16384", Arg("--max-model-len"));
        Assert.Equal("0.95", Arg("--gpu-memory-utilization"));
        Assert.Equal("2", Arg("--max-num-seqs"));
        Assert.Equal("2", Arg("--tensor-parallel-size"));
        Assert.Equal("awq", Arg("--quantization"));
        var host = plan.Spec.HostConfig!;
        Assert.Equal("host", host.IpcMode);
        Assert.Equal("llm_net", host.NetworkMode);
        Assert.Equal("no", host.RestartPolicy!.Name);
        var device = Assert.Single(host.DeviceRequests!);
        Assert.Equal("nvidia", device.Driver);
        Assert.Equal(["0", "1"], device.DeviceIds);
        Assert.Equal(["gpu"], Assert.Single(device.Capabilities!));
        Assert.Equal(["/srv/hf-cache:/root/.cache/huggingface"], host.Binds);
        Assert.Equal("true", plan.Spec.Labels!["gpu-router.managed"]);
        Assert.Equal("qwen_72b_dual", plan.Spec.Labels["gpu-router.instance"]);
        Assert.Equal(plan.SpecHash, plan.Spec.Labels["gpu-router.spec-hash"]);
        Assert.Equal("owner123", plan.Spec.Labels["gpu-router.owner"]);
        Assert.Equal(new Uri("http://qwen_72b_dual:8000/"), plan.BaseAddress);
    }

    [Fact]
    public void Create_HostNetwork_ListensOnLoopbackPortFromTheRange()
    {
        var plan = Plan("network: host, gpuAccess: none", "llama_1", 18004);
        var args = plan.Spec.Cmd!.ToList();
        Assert.Equal("127.0.0.1", args[args.IndexOf("--host") + 1]);
        Assert.Equal("18004", args[args.IndexOf("--port") + 1]);
        Assert.Contains("--enable-prefix-caching", args);
        Assert.Equal("host", plan.Spec.HostConfig!.NetworkMode);
        Assert.Null(plan.Spec.HostConfig.DeviceRequests);
        Assert.Null(plan.Spec.HostConfig.IpcMode);
        Assert.Equal("18004", plan.Spec.Labels!["gpu-router.port"]);
        Assert.Equal(new Uri("http://127.0.0.1:18004/"), plan.BaseAddress);
    }

    [Fact]
    public void Create_NoNetwork_PublishesThePortOnLoopbackOnly()
    {
        var plan = Plan("gpuAccess: none", "llama_1", 18007);
        var binding = Assert.Single(plan.Spec.HostConfig!.PortBindings!["8000/tcp"]!);
        Assert.Equal("127.0.0.1", binding.HostIp);
        Assert.Equal("18007", binding.HostPort);
        Assert.Equal(["8000/tcp"], plan.Spec.ExposedPorts);
    }

    [Fact]
    public void SpecHash_IgnoresThePortButNotTheArguments()
    {
        Assert.Equal(Plan("network: host", "llama_1", 18001).SpecHash, Plan("network: host", "llama_1", 18002).SpecHash);
        Assert.NotEqual(Plan("network: host", "llama_1", 18001).SpecHash, Plan("network: host, gpuAccess: none", "llama_1", 18001).SpecHash);
    }

    [Fact]
    public void Create_HuggingFaceToken_GoesToTheEnvironmentOnly()
    {
        var plan = Plan("network: host", "llama_1", 18001, name => name == "HUGGING_FACE_HUB_TOKEN" ? "hf_secret" : null);
        Assert.Contains("HUGGING_FACE_HUB_TOKEN=hf_secret", plan.Spec.Env!);
        Assert.DoesNotContain(plan.Spec.Labels!.Values, v => v.Contains("hf_secret", StringComparison.Ordinal));
        Assert.DoesNotContain(plan.Spec.Cmd!, a => a.Contains("hf_secret", StringComparison.Ordinal));
    }
}

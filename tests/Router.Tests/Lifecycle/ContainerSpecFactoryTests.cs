using Docker.DotNet.Models;
using GpuRouter.Configuration;
using GpuRouter.Docker;
using GpuRouter.Hosting;
using GpuRouter.Lifecycle;
using Microsoft.Extensions.Logging.Abstractions;
using Router.Tests.Docker;

namespace Router.Tests.Lifecycle;

public class ContainerSpecFactoryTests
{
    private static RouterConfig Settings(string docker, string llamaEnv = "", Func<string, string?>? env = null) => ConfigLoader.Load($$"""
        docker: { {{docker}} }
        models:
          - name: qwen-72b
            image: vllm/vllm-openai:v0.28.0
            hfModel: Qwen/Qwen2.5-72B-Instruct-AWQ
            args: ["--enable-auto-tool-choice", "--tool-call-parser", "hermes"]
            env: { NCCL_P2P_DISABLE: "1" }
            instances:
              - { name: qwen_72b_dual, gpus: [0, 1], maxModelLen: 8192, maxConcurrent: 2, gpuMemoryUtilization: 0.95 }
          - name: llama
            hfModel: meta-llama/Llama-3.1-8B-Instruct
            {{llamaEnv}}
            instances:
              - { name: llama_1, gpus: [1], maxModelLen: 8192, maxConcurrent: 6, gpuMemoryUtilization: 0.6, args: ["--enable-prefix-caching"] }
        """, "test.yaml", env ?? (_ => null));

    private static ContainerPlan Plan(string docker, string instance, int? port, Func<string, string?>? env = null, string llamaEnv = "")
    {
        var settings = Settings(docker, llamaEnv, env);
        var factory = new ContainerSpecFactory(settings.Docker, "owner123", env ?? (_ => null));
        return factory.Create(settings.Instances.Single(i => i.Name == instance), port);
    }

    [Fact]
    public void Create_TensorParallelInstance_HasVllmArgsDeviceRequestAndHostIpc()
    {
        var plan = Plan("network: llm_net, hfCache: /srv/hf-cache", "qwen_72b_dual", null);
        var args = plan.Spec.Cmd!;
        string Arg(string flag) => args[args.ToList().IndexOf(flag) + 1];
        // The image's entrypoint is `vllm serve`: the model comes first, positionally, and --model
        // (which vLLM only accepts with a deprecation warning) is not used.
        Assert.Equal("Qwen/Qwen2.5-72B-Instruct-AWQ", args[0]);
        Assert.DoesNotContain("--model", args);
        Assert.Equal("qwen-72b", Arg("--served-model-name"));
        Assert.Equal("8192", Arg("--max-model-len"));
        Assert.Equal("0.95", Arg("--gpu-memory-utilization"));
        Assert.Equal("2", Arg("--max-num-seqs"));
        Assert.Equal("2", Arg("--tensor-parallel-size"));
        Assert.Equal("hermes", Arg("--tool-call-parser"));
        Assert.Contains("NCCL_P2P_DISABLE=1", plan.Spec.Env!);
        var host = plan.Spec.HostConfig!;
        Assert.Equal("host", host.IpcMode);
        Assert.Equal("llm_net", host.NetworkMode);
        Assert.Equal(RestartPolicyKind.No, host.RestartPolicy!.Name);
        var device = Assert.Single(host.DeviceRequests!);
        Assert.Equal("nvidia", device.Driver);
        Assert.Equal(["0", "1"], device.DeviceIDs);
        Assert.Equal(["gpu"], Assert.Single(device.Capabilities!));
        Assert.Equal(["/srv/hf-cache:/root/.cache/huggingface"], host.Binds);
        Assert.Equal("true", plan.Spec.Labels!["gpu-router.managed"]);
        Assert.Equal("qwen_72b_dual", plan.Spec.Labels["gpu-router.instance"]);
        Assert.Equal(plan.SpecHash, plan.Spec.Labels["gpu-router.spec-hash"]);
        Assert.Equal("owner123", plan.Spec.Labels["gpu-router.owner"]);
        // On a bridge network the address is the one Docker gives the container (ContainerAddress).
        Assert.Null(plan.BaseAddress);
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
        Assert.Empty(plan.Spec.HostConfig.IpcMode);
        Assert.Equal("18004", plan.Spec.Labels!["gpu-router.port"]);
        Assert.Equal(new Uri("http://127.0.0.1:18004/"), plan.BaseAddress);
    }

    [Fact]
    public void Create_NoNetwork_PublishesThePortOnLoopbackOnly()
    {
        var plan = Plan("gpuAccess: none", "llama_1", 18007);
        var binding = Assert.Single(plan.Spec.HostConfig!.PortBindings!["8000/tcp"]!);
        Assert.Equal("127.0.0.1", binding.HostIP);
        Assert.Equal("18007", binding.HostPort);
        Assert.Equal(["8000/tcp"], plan.Spec.ExposedPorts!.Keys);
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

    [Fact]
    public void Create_EnvMaps_InstanceWinsAndVariablesComeFromTheRoutersEnvironment()
    {
        var plan = Plan("network: host", "llama_1", 18001, name => name == "HF_TOKEN" ? "hf_secret" : null,
            llamaEnv: """env: { HF_TOKEN: "${HF_TOKEN}", VLLM_LOGGING_LEVEL: INFO, GREETING: "hi ${HF_TOKEN}!" }""");
        var env = plan.Spec.Env!;
        Assert.Contains("HF_TOKEN=hf_secret", env);
        Assert.Contains("VLLM_LOGGING_LEVEL=INFO", env);
        Assert.Contains("GREETING=hi hf_secret!", env);
        Assert.Single(env, e => e.StartsWith("HF_TOKEN=", StringComparison.Ordinal)); // the env: entry replaces the forwarded token
        Assert.DoesNotContain(plan.Spec.Labels!.Values, v => v.Contains("hf_secret", StringComparison.Ordinal));

        var settings = ConfigLoader.Load("""
            models:
              - name: m
                hfModel: org/m
                env: { A: model, B: model }
                instances:
                  - { name: m_0, gpus: [0], env: { B: instance } }
            """, "test.yaml");
        Assert.Equal([new("A", "model"), new("B", "instance")], settings.Instances.Single().Env);
    }

    [Fact]
    public void SpecHash_CoversTheEnvTemplateNotTheExpandedSecret()
    {
        const string env = """env: { HF_TOKEN: "${HF_TOKEN}" }""";
        var first = Plan("network: host", "llama_1", 18001, _ => "token-one", env);
        var rotated = Plan("network: host", "llama_1", 18001, _ => "token-two", env);
        var changed = Plan("network: host", "llama_1", 18001, _ => "token-one", """env: { HF_TOKEN: "${HF_TOKEN}", EXTRA: "1" }""");
        var without = Plan("network: host", "llama_1", 18001, _ => "token-one");

        Assert.Equal(first.SpecHash, rotated.SpecHash);
        Assert.NotEqual(first.SpecHash, changed.SpecHash);
        Assert.NotEqual(first.SpecHash, without.SpecHash);
    }

    [Fact]
    public void Create_VllmCache_IsMountedWhereVllmKeepsItsCompileCache()
    {
        var plan = Plan("network: host, hfCache: /srv/hf-cache, vllmCache: /srv/vllm-cache", "llama_1", 18001);

        Assert.Equal(["/srv/hf-cache:/root/.cache/huggingface", "/srv/vllm-cache:/root/.cache/vllm"], plan.Spec.HostConfig!.Binds);
        Assert.NotEqual(plan.SpecHash, Plan("network: host, hfCache: /srv/hf-cache", "llama_1", 18001).SpecHash);
    }

    [Fact]
    public async Task ContainerAddress_RecordedBridgeInspect_IsTheContainersAddressOnThatNetwork()
    {
        // The recorded answer of an engine with bridge networking, read by the package as it reads a real one.
        var json = File.ReadAllText(Path.Combine(RepoRoot.Path, "tests", "Router.Tests", "Fixtures", "DockerInspect", "bridge-network-container.json"));
        await using var daemon = new FakeDockerDaemon(line => line.StartsWith("GET /version ", StringComparison.Ordinal)
            ? FakeDockerDaemon.Json(200, """{"Version":"27.5.1","ApiVersion":"1.47","MinAPIVersion":"1.24","Os":"linux","Arch":"amd64"}""")
            : FakeDockerDaemon.Json(200, json));
        using var docker = new DockerEngineClient(new DockerOptions { Endpoint = daemon.Endpoint }, TimeProvider.System, NullLogger<DockerEngineClient>.Instance);
        var inspect = (await docker.InspectContainerAsync("llama_0", CancellationToken.None))!;

        Assert.Equal(new Uri("http://172.20.0.5:8000/"), ContainerAddress.OnBridge(inspect, "llm_net"));
        Assert.Null(ContainerAddress.OnBridge(inspect, "other_net"));
        Assert.Equal(["vllm", "serve"], inspect.Config!.Entrypoint);
    }
}

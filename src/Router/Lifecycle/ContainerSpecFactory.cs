using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GpuRouter.Configuration;
using GpuRouter.Docker;

namespace GpuRouter.Lifecycle;

/// <summary>
/// Turns an instance into the container that runs it, as the design describes: vLLM's arguments
/// derived from the instance, a device request for exactly its GPUs, the Hugging Face cache,
/// --ipc=host for tensor parallelism, our labels, and restart policy "no" (the router owns the
/// lifecycle). The same spec serves vllm/vllm-openai and the simulator image.
/// </summary>
internal sealed class ContainerSpecFactory(DockerSettings docker, string ownerId, Func<string, string?> environment)
{
    public const int ContainerPort = 8000;

    public ContainerPlan Create(InstanceDefinition instance, int? port)
    {
        var model = instance.Model;
        var args = new List<string>
        {
            "--model", model.HfModel!,
            "--served-model-name", model.Name,
            "--gpu-memory-utilization", instance.GpuMemoryUtilization.ToString("0.###", CultureInfo.InvariantCulture),
            "--max-num-seqs", instance.MaxConcurrent.ToString(CultureInfo.InvariantCulture),
            "--tensor-parallel-size", instance.Gpus.Count.ToString(CultureInfo.InvariantCulture),
        };
        if (instance.MaxModelLen is { } len) args.AddRange(["--max-model-len", len.ToString(CultureInfo.InvariantCulture)]);
        args.AddRange(model.Args);
        args.AddRange(instance.Args);
        var hash = Hash(model.Image!, args, instance);

        var hostNetwork = docker.Network == "host";
        var bridge = docker.Network is { Length: > 0 } n && n != "host" ? n : null;
        if (hostNetwork) args.AddRange(["--host", "127.0.0.1", "--port", Port(port)]);
        else args.AddRange(["--host", "0.0.0.0", "--port", ContainerPort.ToString(CultureInfo.InvariantCulture)]);

        var labels = new Dictionary<string, string>
        {
            [ContainerLabels.Managed] = "true",
            [ContainerLabels.Instance] = instance.Name,
            [ContainerLabels.SpecHash] = hash,
            [ContainerLabels.Owner] = ownerId,
        };
        if (port is { } p) labels[ContainerLabels.Port] = p.ToString(CultureInfo.InvariantCulture);

        var spec = new ContainerCreateSpec
        {
            Image = model.Image!,
            Cmd = args,
            Env = Env(),
            Labels = labels,
            ExposedPorts = hostNetwork ? null : [$"{ContainerPort}/tcp"],
            HostConfig = new HostConfig
            {
                NetworkMode = hostNetwork ? "host" : bridge,
                IpcMode = instance.Gpus.Count > 1 ? "host" : null,
                Binds = docker.HfCache is { } cache ? [$"{cache}:/root/.cache/huggingface"] : null,
                PortBindings = hostNetwork || bridge is not null ? null : new Dictionary<string, IReadOnlyList<PortBinding>?>
                {
                    [$"{ContainerPort}/tcp"] = [new PortBinding { HostIp = "127.0.0.1", HostPort = Port(port) }],
                },
                RestartPolicy = new RestartPolicy { Name = "no" },
                DeviceRequests = docker.NvidiaGpus
                    ? [new DeviceRequest { Driver = "nvidia", DeviceIds = [.. instance.Gpus.Select(g => g.ToString(CultureInfo.InvariantCulture))], Capabilities = [["gpu"]] }]
                    : null,
            },
        };
        var address = bridge is not null
            ? new Uri($"http://{instance.Name}:{ContainerPort}/")
            : new Uri($"http://127.0.0.1:{Port(port)}/");
        return new ContainerPlan(spec, hash, address, port);
    }

    /// <summary>Only the bridge network reaches the container by name; the others need a host port.</summary>
    public bool NeedsPort => docker.Network is null or "" or "host";

    public string OwnerId => ownerId;

    private List<string> Env()
    {
        var env = new List<string>();
        // The token reaches the container only; it is never logged or put in a label.
        if (environment("HUGGING_FACE_HUB_TOKEN") is { Length: > 0 } token) env.Add($"HUGGING_FACE_HUB_TOKEN={token}");
        if (environment("HF_TOKEN") is { Length: > 0 } hf) env.Add($"HF_TOKEN={hf}");
        return env;
    }

    private static string Port(int? port) =>
        (port ?? throw new InvalidOperationException("This network mode needs a host port.")).ToString(CultureInfo.InvariantCulture);

    // Everything that would make a running container the wrong one, but not the port: an adopted
    // container keeps the port it was given.
    private string Hash(string image, List<string> args, InstanceDefinition instance)
    {
        var text = string.Join('\n', [image, .. args, "gpus=" + instance.GpuLabel, "network=" + docker.Network,
            "nvidia=" + docker.NvidiaGpus, "cache=" + docker.HfCache]);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }
}

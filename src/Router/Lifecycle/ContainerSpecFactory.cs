using GpuRouter.Docker;
using GpuRouter.Instances;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Docker.DotNet.Models;
using GpuRouter.Configuration;

namespace GpuRouter.Lifecycle;

/// <summary>
/// Turns an instance into the container that runs it, as the design describes: the model first and
/// positional (the image's entrypoint is <c>vllm serve</c>), vLLM's arguments derived from the
/// instance (<c>--enable-sleep-mode</c> and VLLM_SERVER_DEV_MODE=1 where the model sleeps), a device
/// request for exactly its GPUs, the Hugging Face and vLLM compile caches,
/// --ipc=host for tensor parallelism, the instance's <c>env</c>, our labels, and restart policy
/// "no" (the router owns the lifecycle). The same spec serves vllm/vllm-openai and the simulator.
/// On another host (<paramref name="site"/>) the container listens or publishes where that host's
/// <c>bind</c>/<c>address</c> say, and gets its own <c>--api-key</c> (<paramref name="keys"/>).
/// </summary>
internal sealed class ContainerSpecFactory(
    DockerOptions docker, string ownerId, Func<string, string?> environment, ContainerSite? site = null, BackendKeys? keys = null)
{
    private readonly ContainerSite _site = site ?? ContainerSite.Local;

    public const int ContainerPort = 8000;

    /// <summary>Where vLLM keeps its torch.compile artifacts (VLLM_CACHE_ROOT's default in the image).</summary>
    public const string VllmCacheMount = "/root/.cache/vllm";

    public const string HfCacheMount = "/root/.cache/huggingface";

    /// <summary>The variable that makes vLLM mount its development routes, the sleep routes among them.</summary>
    public const string DevMode = "VLLM_SERVER_DEV_MODE";

    // Read from the router's environment for every container, as before env: maps existed; an env:
    // entry of the same name wins.
    private static readonly string[] ForwardedTokens = ["HUGGING_FACE_HUB_TOKEN", "HF_TOKEN"];

    public ContainerPlan Create(InstanceDefinition instance, int? port)
    {
        var model = instance.Model;
        var args = new List<string>
        {
            model.HfModel!,
            "--served-model-name", model.Name,
            "--gpu-memory-utilization", instance.GpuMemoryUtilization.ToString("0.###", CultureInfo.InvariantCulture),
            "--max-num-seqs", instance.MaxConcurrent.ToString(CultureInfo.InvariantCulture),
            "--tensor-parallel-size", instance.Gpus.Count.ToString(CultureInfo.InvariantCulture),
        };
        if (instance.MaxModelLen is { } len) args.AddRange(["--max-model-len", len.ToString(CultureInfo.InvariantCulture)]);
        if (model.Sleep is not null) args.Add("--enable-sleep-mode");
        args.AddRange(model.Args);
        args.AddRange(instance.Args);
        var hash = Hash(model.Image!, args, instance);

        var hostNetwork = docker.Network == "host";
        var bridge = Bridge;
        if (hostNetwork) args.AddRange(["--host", _site.ListenHost, "--port", Port(port)]);
        else args.AddRange(["--host", "0.0.0.0", "--port", ContainerPort.ToString(CultureInfo.InvariantCulture)]);
        // After the hash: the key is derived from the name, and a secret never goes into a label.
        var apiKey = keys?.KeyFor(instance.Name);
        if (apiKey is not null) args.AddRange(["--api-key", apiKey]);

        var labels = new Dictionary<string, string>
        {
            [ContainerLabels.Managed] = "true",
            [ContainerLabels.Instance] = instance.Name,
            [ContainerLabels.SpecHash] = hash,
            [ContainerLabels.Owner] = ownerId,
        };
        if (port is { } p) labels[ContainerLabels.Port] = p.ToString(CultureInfo.InvariantCulture);

        var spec = new CreateContainerParameters
        {
            Name = instance.Name,
            Image = model.Image!,
            Cmd = args,
            Env = Env(instance),
            Labels = labels,
            HostConfig = HostConfig(instance, hostNetwork, bridge, port),
        };
        if (!hostNetwork) spec.ExposedPorts = new Dictionary<string, EmptyStruct> { [$"{ContainerPort}/tcp"] = default };
        // On a bridge network the address is known only once Docker has attached the container.
        var address = bridge is not null ? null : _site.At(port ?? 0);
        return new ContainerPlan(spec, hash, address, port, apiKey);
    }

    /// <summary>Only the bridge network reaches the container at its own address; the others need a host port.</summary>
    public bool NeedsPort => Bridge is null;

    /// <summary>The user-defined bridge network containers join, or null (host network, or a published port).</summary>
    public string? Bridge => docker.Network is { Length: > 0 } n && n != "host" ? n : null;

    public string OwnerId => ownerId;

    public ContainerSite Site => _site;

    /// <summary>The instance's API key on this engine; null on the local one (its containers listen on loopback only).</summary>
    public string? KeyFor(string instance) => keys?.KeyFor(instance);

    /// <summary>Text shown to people (log lines, Docker's messages) with the instance's key taken out.</summary>
    public string Redact(string instance, string text) => keys is null ? text : keys.Redact(instance, text);

    // Members left unset stay out of the request, so the daemon applies its defaults.
    private HostConfig HostConfig(InstanceDefinition instance, bool hostNetwork, string? bridge, int? port)
    {
        var host = new HostConfig
        {
            NetworkMode = hostNetwork ? "host" : bridge ?? "",
            RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.No },
        };
        if (instance.Gpus.Count > 1) host.IpcMode = "host";
        if (Binds() is { } binds) host.Binds = binds;
        if (!hostNetwork && bridge is null)
        {
            host.PortBindings = new Dictionary<string, IList<PortBinding>>
            {
                [$"{ContainerPort}/tcp"] = [new PortBinding { HostIP = _site.PublishIp, HostPort = Port(port) }],
            };
        }
        if (docker.NvidiaGpus)
        {
            host.DeviceRequests =
                [new DeviceRequest { Driver = "nvidia", DeviceIDs = [.. instance.Gpus.Select(g => g.ToString(CultureInfo.InvariantCulture))], Capabilities = [["gpu"]] }];
        }
        return host;
    }

    private List<string>? Binds()
    {
        var binds = new List<string>();
        if (docker.HfCache is { } hf) binds.Add($"{hf}:{HfCacheMount}");
        if (docker.VllmCache is { } vllm) binds.Add($"{vllm}:{VllmCacheMount}");
        return binds.Count > 0 ? binds : null;
    }

    private List<string> Env(InstanceDefinition instance)
    {
        var env = new List<string>();
        // Secrets reach the container only; they are never logged, hashed or put in a label.
        foreach (var token in ForwardedTokens)
        {
            if (instance.Env.All(e => e.Key != token) && environment(token) is { Length: > 0 } value) env.Add($"{token}={value}");
        }
        env.AddRange(instance.Env.Select(e => $"{e.Key}={EnvTemplate.Expand(e.Value, environment)}"));
        // vLLM serves /sleep, /wake_up and /is_sleeping only in its development mode.
        if (instance.Model.Sleep is not null && instance.Env.All(e => e.Key != DevMode)) env.Add($"{DevMode}=1");
        return env;
    }

    // Where a remote container listens is part of its spec; the local one's never changed (and
    // leaving it out keeps the hashes of running local containers as they were).
    private IEnumerable<string> SiteLines() =>
        _site.IsLocal ? [] : ["host=" + _site.Host, "listen=" + _site.ListenHost, "publish=" + _site.PublishIp, "key=" + (keys is not null)];

    private static string Port(int? port) =>
        (port ?? throw new InvalidOperationException("This network mode needs a host port.")).ToString(CultureInfo.InvariantCulture);

    // Everything that would make a running container the wrong one, but not the port (an adopted
    // container keeps the port it was given) and not an expanded secret: the env templates are
    // hashed, so a rotated token does not recreate containers and never shows in a label.
    private string Hash(string image, List<string> args, InstanceDefinition instance)
    {
        var text = string.Join('\n', [image, .. args, "gpus=" + instance.GpuLabel, "network=" + docker.Network,
            "nvidia=" + docker.NvidiaGpus, "cache=" + docker.HfCache, "vllm-cache=" + docker.VllmCache,
            .. instance.Env.Select(e => $"env:{e.Key}={e.Value}"), .. SiteLines()]);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }
}

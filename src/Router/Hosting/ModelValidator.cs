using System.Globalization;
using System.Text.RegularExpressions;
using GpuRouter.Configuration;
using GpuRouter.Gpu;
using GpuRouter.Hosts;
using GpuRouter.Instances;

namespace GpuRouter.Hosting;

/// <summary>Checks models and their instances; adds to the shared error list, each naming its key.</summary>
internal sealed partial class ModelValidator(
    List<string> errors, List<string> notes, List<GpuDefinition> gpus, TimeSpan defaultTtl, Func<string, string?> environment,
    HostsOptions hosts, IReadOnlyList<string> declaredHosts)
{
    /// <summary>The vLLM release config/router.yaml pins (docs/real-box.md says why); never :latest.</summary>
    public const string DefaultImage = "vllm/vllm-openai:v0.28.0";

    private readonly HashSet<string> _instanceNames = new(StringComparer.Ordinal);

    public List<ModelDefinition> Validate(List<ModelSection> models)
    {
        var result = new List<ModelDefinition>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < models.Count; i++)
        {
            var key = $"models[{i}]";
            var m = models[i];
            if (string.IsNullOrWhiteSpace(m.Name)) errors.Add($"{key}.name: is required");
            else if (!names.Add(m.Name)) errors.Add($"{key}.name: '{m.Name}' is used by another model");
            var model = Model(m, key);
            model.Instances = Instances(m, model, key);
            result.Add(model);
        }
        CheckAlwaysBesideNight(result);
        return result;
    }

    private ModelDefinition Model(ModelSection m, string key)
    {
        var kind = ModelKind.Chat;
        if (m.Kind is not null && !Enum.TryParse(m.Kind, ignoreCase: true, out kind))
            errors.Add($"{key}.kind: '{m.Kind}' is not chat, embedding or rerank");
        var mode = ModelMode.Always;
        if (m.Mode is not null && !Enum.TryParse(m.Mode, ignoreCase: true, out mode))
            errors.Add($"{key}.mode: '{m.Mode}' is not day, night or always");
        var ttl = defaultTtl;
        if (m.Ttl is not null && !Duration.TryParse(m.Ttl, out ttl))
            errors.Add($"{key}.ttl: '{m.Ttl}' is not a duration (e.g. 30m)");
        TimeSpan? coldStart = null;
        if (m.ColdStartTimeout is not null)
        {
            if (Duration.TryParse(m.ColdStartTimeout, out var value) && value > TimeSpan.Zero) coldStart = value;
            else errors.Add($"{key}.coldStartTimeout: '{m.ColdStartTimeout}' is not a positive duration (e.g. 45m)");
        }
        EnvTemplate.Check($"{key}.env", m.Env, environment, errors);
        CheckArgs($"{key}.args", m.Args);
        return new ModelDefinition
        {
            Name = m.Name ?? "",
            Aliases = m.Aliases ?? [],
            Kind = kind,
            Mode = mode,
            Image = m.Image ?? DefaultImage,
            HfModel = m.HfModel,
            Ttl = ttl,
            Args = m.Args ?? [],
            Env = m.Env?.ToDictionary(e => e.Key, e => e.Value ?? "", StringComparer.Ordinal) ?? new Dictionary<string, string>(),
            ColdStartTimeout = coldStart,
            Sleep = SleepValidator.Sleep(m.Sleep, $"{key}.sleep", ttl, m.Endpoint is not null && m.Instances is null or { Count: 0 }, errors),
        };
    }

    private List<InstanceDefinition> Instances(ModelSection m, ModelDefinition model, string key)
    {
        var sections = m.Instances;
        if (sections is null or { Count: 0 })
        {
            if (m.Endpoint is null)
            {
                errors.Add($"{key}.instances: a model needs at least one instance, or an endpoint");
                return [];
            }
            // A model that is just an endpoint: one remote instance under the model's name.
            sections = [new InstanceSection { Name = m.Name, Endpoint = m.Endpoint, Gpus = [] }];
        }
        var result = new List<InstanceDefinition>();
        for (var j = 0; j < sections.Count; j++)
        {
            var instance = Instance(sections[j], m, model, $"{key}.instances[{j}]");
            if (instance is not null) result.Add(instance);
        }
        return result;
    }

    private InstanceDefinition? Instance(InstanceSection s, ModelSection m, ModelDefinition model, string key)
    {
        var ok = true;
        if (string.IsNullOrWhiteSpace(s.Name)) { errors.Add($"{key}.name: is required"); ok = false; }
        else if (!ContainerName().IsMatch(s.Name)) { errors.Add($"{key}.name: '{s.Name}' must be letters, digits, '_', '.' or '-' (it names the container)"); ok = false; }
        else if (!_instanceNames.Add(s.Name)) { errors.Add($"{key}.name: '{s.Name}' is used by another instance"); ok = false; }

        var endpointText = s.Endpoint ?? (m.Instances is { Count: > 0 } ? null : m.Endpoint);
        Uri? endpoint = null;
        if (endpointText is not null && (!Uri.TryCreate(endpointText, UriKind.Absolute, out endpoint) || endpoint.Scheme is not ("http" or "https")))
        {
            errors.Add($"{key}.endpoint: '{endpointText}' is not an http(s) URL");
            ok = false;
        }
        var gpuList = s.Gpus ?? [];
        var (onHost, hostKnown) = Host(s.Host, endpointText, key, ref ok);
        foreach (var g in gpuList.Where(g => hostKnown && (onHost is null ? gpus.All(d => d.Index != g) : onHost.Gpus.All(d => d.Index != g))))
        {
            errors.Add(onHost is null ? $"{key}.gpus: GPU {g} is not in gpus" : $"{key}.gpus: GPU {g} is not in the gpus of host '{onHost.Name}'");
            ok = false;
        }
        if (gpuList.Distinct().Count() != gpuList.Count) { errors.Add($"{key}.gpus: a GPU is listed twice"); ok = false; }
        if (endpoint is null && gpuList.Count == 0) { errors.Add($"{key}.gpus: a started instance needs at least one GPU"); ok = false; }
        if (endpoint is null && string.IsNullOrWhiteSpace(model.HfModel)) { errors.Add($"{key}: the model needs hfModel (what vLLM loads) to start an instance"); ok = false; }
        if (s.MaxModelLen is <= 0) { errors.Add($"{key}.maxModelLen: must be greater than 0"); ok = false; }
        if (s.MaxConcurrent is <= 0) { errors.Add($"{key}.maxConcurrent: must be greater than 0"); ok = false; }
        if (s.MaxQueue is < 0) { errors.Add($"{key}.maxQueue: must be 0 or more"); ok = false; }
        EnvTemplate.Check($"{key}.env", s.Env, environment, errors);
        CheckArgs($"{key}.args", s.Args);
        var share = s.GpuMemoryUtilization ?? 0.9;
        if (share is <= 0 or > 1) { errors.Add($"{key}.gpuMemoryUtilization: {share.ToString(CultureInfo.InvariantCulture)} is not in (0, 1]"); ok = false; }
        else if (SleepValidator.ResidualTooLarge(model.Sleep, share) is { } residual) { errors.Add($"{key}.gpuMemoryUtilization: {residual}"); ok = false; }
        if (endpoint is not null && model.Sleep is not null) { errors.Add($"{key}.endpoint: a server the router does not start cannot be put to sleep (remove the model's sleep section)"); ok = false; }
        if (!ok) return null;

        return new InstanceDefinition
        {
            Name = s.Name!,
            Model = model,
            Gpus = gpuList,
            MaxModelLen = s.MaxModelLen,
            MaxConcurrent = s.MaxConcurrent ?? 1,
            MaxQueue = s.MaxQueue ?? 32,
            GpuMemoryUtilization = share,
            Preload = s.Preload,
            Endpoint = endpoint,
            Args = s.Args ?? [],
            Env = EnvTemplate.Merge(model.Env, s.Env),
            SkipMemoryCheck = s.SkipMemoryCheck,
            Host = s.Host,
            // GPU indices are per host: another host's are named with it (X-Router-Gpu, the gpu label).
            GpuLabel = s.Host is null ? string.Join(',', gpuList) : $"{s.Host}:{string.Join(',', gpuList)}",
        };
    }

    // An instance with `host` is started on that host's engine, its GPU indices that host's.
    private (GpuHostOptions? Host, bool Known) Host(string? name, string? endpoint, string key, ref bool ok)
    {
        if (name is null) return (null, true);
        if (endpoint is not null)
        {
            errors.Add($"{key}.host: an instance with an endpoint is never started, on any host: give host or endpoint, not both");
            ok = false;
        }
        if (hosts.Find(name) is { } host) return (host, true);
        if (!declaredHosts.Contains(name))
        {
            var known = declaredHosts.Count == 0 ? "there is no hosts section" : "hosts: " + string.Join(", ", declaredHosts);
            errors.Add($"{key}.host: '{name}' is not a host in hosts ({known})");
        }
        // Unknown, or a host with errors of its own (reported there): its GPUs are not known.
        ok = false;
        return (null, false);
    }

    // Flags the router sets itself, or that current vLLM refuses, would make every start fail.
    private void CheckArgs(string key, List<string>? args)
    {
        if (args is null) return;
        for (var i = 0; i < args.Count; i++)
        {
            var flag = args[i].Split('=', 2)[0];
            var value = args[i].Contains('=', StringComparison.Ordinal) ? args[i].Split('=', 2)[1] : i + 1 < args.Count ? args[i + 1] : "";
            if (flag == "--task")
                errors.Add($"{key}: --task was removed from vLLM (v0.13 and later stop with 'unrecognized arguments: --task'); embedding and rerank models are recognised from their config, or use --runner pooling");
            else if (flag == "--model")
                errors.Add($"{key}: --model is set by the router (the model goes first, positionally, from hfModel)");
            else if (flag is "--quantization" or "-q" && value == "awq")
                notes.Add($"{key}: --quantization awq makes vLLM use its slow AWQ kernel instead of AWQ-Marlin on Ampere and newer; leave it out and vLLM picks the fast one from the model's config");
        }
    }

    // An always-served instance must still fit when the night instances take their GPUs (on the
    // same host: indices are per host), otherwise the night switch could never complete.
    private void CheckAlwaysBesideNight(List<ModelDefinition> models)
    {
        var managed = models.SelectMany(m => m.Instances).Where(i => i.IsManaged).ToList();
        foreach (var always in managed.Where(i => i.Model.Mode == ModelMode.Always))
        {
            foreach (var night in managed.Where(i => i.Model.Mode == ModelMode.Night && i.Host == always.Host))
            {
                var shared = always.Gpus.Intersect(night.Gpus).ToList();
                if (shared.Count > 0 && always.GpuMemoryUtilization + night.GpuMemoryUtilization > 1.0 + 1e-9)
                {
                    errors.Add($"models: always-served instance '{always.Name}' ({always.GpuMemoryUtilization:0.##}) cannot fit beside night instance '{night.Name}' ({night.GpuMemoryUtilization:0.##}) on GPU {shared[0]}");
                }
            }
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
    private static partial Regex ContainerName();
}

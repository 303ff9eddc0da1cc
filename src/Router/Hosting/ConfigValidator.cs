using System.Net;
using System.Security.Cryptography;
using System.Text;
using GpuRouter.Configuration;
using GpuRouter.Docker;
using GpuRouter.Gpu;
using GpuRouter.Hosts;
using GpuRouter.Http;
using GpuRouter.Instances;
using GpuRouter.Lifecycle;
using GpuRouter.Routing;
using GpuRouter.Schedule;
using GpuRouter.Security;
using GpuRouter.Usage;

namespace GpuRouter.Hosting;

/// <summary>
/// Checks the whole file and reports every problem at once, each prefixed with its key. Relative
/// paths are made absolute against <paramref name="launchDirectory"/>, the directory the command
/// was started in, so nothing later depends on the working directory.
/// </summary>
internal sealed class ConfigValidator(Func<string, string?> environment, string launchDirectory)
{
    private static readonly string[] DefaultNetworks = ["127.0.0.0/8", "::1/128", "100.64.0.0/10", "fd7a:115c:a1e0::/48"];
    private static readonly string[] LogLevels = ["Verbose", "Debug", "Information", "Warning", "Error", "Fatal"];
    private readonly List<string> _errors = [];
    private readonly List<string> _notes = [];

    public RouterConfig Validate(RouterConfigFile file, string sourceName, IReadOnlyList<ConfigCheck>? checks = null)
    {
        var server = Server(file.Server ?? new());
        var clients = Clients(file.Clients ?? []);
        var host = SleepValidator.Host(file.Host, _errors);
        var docker = Docker(file.Docker ?? new());
        var gpus = Gpus(file.Gpus);
        var scheduleSection = file.Schedule ?? new();
        var stateDir = Path.GetFullPath(file.State?.Dir ?? "/var/lib/gpu-router", launchDirectory);
        var (routing, lifecycle) = Routing(file.Routing ?? new(), scheduleSection, gpus, stateDir);
        var schedule = Schedule(scheduleSection, stateDir);
        var hostsValidator = new HostsValidator(_errors, launchDirectory);
        var hosts = hostsValidator.Validate(file.Hosts);
        var models = new ModelValidator(_errors, _notes, gpus, routing.DefaultTtl, environment, hosts, hostsValidator.Declared).Validate(file.Models ?? []);
        CheckFallback(routing.NightFallback, models);
        ModelNames.CheckAliases(models, _errors);
        ModelNames.CheckScopes(file.Clients ?? [], models, _errors);
        var logging = file.Logging ?? new();
        var level = logging.Level ?? "Information";
        if (!LogLevels.Contains(level, StringComparer.OrdinalIgnoreCase))
            _errors.Add($"logging.level: '{level}' is not one of {string.Join(", ", LogLevels)}");
        var nvml = file.Nvml ?? new();
        CheckPostgres(file.Usage?.Postgres);

        var config = new RouterConfig
        {
            Server = server,
            StateDir = stateDir,
            Host = host,
            Logging = new LoggingOptions(level, logging.File is { } logFile ? Path.GetFullPath(logFile, launchDirectory) : null),
            Clients = clients,
            Docker = docker,
            Gpus = gpus,
            Nvml = new NvmlOptions
            {
                Library = PathOrName(nvml.Library ?? "libnvidia-ml.so.1"),
                PollInterval = Time("nvml.pollInterval", nvml.PollInterval, TimeSpan.FromSeconds(5)),
            },
            Routing = routing,
            Lifecycle = lifecycle,
            Schedule = schedule,
            Models = models,
            Usage = new UsageOptions { Postgres = file.Usage?.Postgres },
            Hosts = hosts,
            Notes = _notes,
        };
        // Checks that look beyond the file run on what is valid so far, so every problem is reported at once.
        foreach (var check in checks ?? [])
        {
            var result = check(config);
            _errors.AddRange(result.Errors);
            _notes.AddRange(result.Notes);
        }
        if (_errors.Count > 0) throw new ConfigException(sourceName, _errors);
        return config;
    }

    private ServerOptions Server(ServerSection s)
    {
        var urls = s.Urls is { Count: > 0 } ? s.Urls : ["http://127.0.0.1:8000"];
        for (var i = 0; i < urls.Count; i++)
        {
            if (!Uri.TryCreate(urls[i], UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https"))
                _errors.Add($"server.urls[{i}]: '{urls[i]}' is not an http(s) URL");
        }
        var networks = new List<IPNetwork>();
        var texts = s.AllowedNetworks ?? [.. DefaultNetworks];
        for (var i = 0; i < texts.Count; i++)
        {
            if (IPNetwork.TryParse(texts[i], out var n)) networks.Add(n);
            else _errors.Add($"server.allowedNetworks[{i}]: '{texts[i]}' is not a network in CIDR form (e.g. 100.64.0.0/10)");
        }
        var max = s.MaxRequestBodyBytes ?? 16 * 1024 * 1024;
        if (max <= 0) _errors.Add("server.maxRequestBodyBytes: must be greater than 0");
        // Kestrel's own defaults: a body slower than 240 bytes/s for more than 5 s is a 408.
        var rate = s.MinRequestBodyRate ?? 240;
        if (rate < 0 || double.IsNaN(rate)) _errors.Add("server.minRequestBodyRate: must be 0 (no minimum) or more bytes per second");
        var grace = Time("server.requestBodyGracePeriod", s.RequestBodyGracePeriod, TimeSpan.FromSeconds(5));
        if (grace <= TimeSpan.FromSeconds(1)) _errors.Add("server.requestBodyGracePeriod: must be more than 1s (Kestrel checks once a second)");
        return new ServerOptions(urls, networks, max, rate, grace, CorsOrigins(s.CorsOrigins ?? []));
    }

    // An origin is what a browser sends in its Origin header: scheme, host and port, no path.
    private List<string> CorsOrigins(List<string> origins)
    {
        for (var i = 0; i < origins.Count; i++)
        {
            if (origins[i] == "*") continue;
            if (!Uri.TryCreate(origins[i], UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https")
                || u.GetLeftPart(UriPartial.Authority) != origins[i].TrimEnd('/'))
                _errors.Add($"server.corsOrigins[{i}]: '{origins[i]}' is not an origin like https://chat.example.com or http://100.64.0.5:3000 (scheme, host and port only), or \"*\"");
        }
        return [.. origins.Select(o => o.TrimEnd('/'))];
    }

    private List<ClientDefinition> Clients(List<ClientSection> clients)
    {
        var result = new List<ClientDefinition>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < clients.Count; i++)
        {
            var c = clients[i];
            var key = $"clients[{i}]";
            if (string.IsNullOrWhiteSpace(c.Name)) _errors.Add($"{key}.name: is required");
            else if (!names.Add(c.Name)) _errors.Add($"{key}.name: '{c.Name}' is used by another client");
            var source = ClientSource.Batch;
            if (c.Source is not null && !Enum.TryParse(c.Source, ignoreCase: true, out source))
                _errors.Add($"{key}.source: '{c.Source}' is not interactive or batch");
            var hash = KeyHash(c, key);
            if (hash is not null && !hashes.Add(Convert.ToHexString(hash)))
                _errors.Add($"{key}: the same key is given to another client");
            if (c.RequestsPerMinute is <= 0) _errors.Add($"{key}.requestsPerMinute: must be greater than 0");
            if (c.MaxConcurrent is <= 0) _errors.Add($"{key}.maxConcurrent: must be greater than 0");
            if (c.TokensPerDay is <= 0) _errors.Add($"{key}.tokensPerDay: must be greater than 0");
            if (hash is not null && c.Name is not null)
            {
                result.Add(new ClientDefinition(c.Name, source, c.Admin, hash, c.RequestsPerMinute)
                {
                    TrustUserHeaders = c.TrustUserHeaders,
                    Models = c.Models,
                    MaxConcurrent = c.MaxConcurrent,
                    TokensPerDay = c.TokensPerDay,
                });
            }
        }
        return result;
    }

    private byte[]? KeyHash(ClientSection c, string key)
    {
        if (c.KeySha256 is not null && c.KeyEnv is not null)
        {
            _errors.Add($"{key}: give keySha256 or keyEnv, not both");
            return null;
        }
        if (c.KeySha256 is { } hex)
        {
            if (hex.Length == 64 && hex.All(Uri.IsHexDigit)) return Convert.FromHexString(hex);
            _errors.Add($"{key}.keySha256: must be 64 hex digits (sha256sum of the key)");
            return null;
        }
        if (c.KeyEnv is { } variable)
        {
            var value = environment(variable);
            if (!string.IsNullOrEmpty(value)) return SHA256.HashData(Encoding.UTF8.GetBytes(value));
            _errors.Add($"{key}.keyEnv: environment variable {variable} is not set or empty");
            return null;
        }
        _errors.Add($"{key}: needs keySha256 or keyEnv (plain keys never sit in the file)");
        return null;
    }

    private DockerOptions Docker(DockerSection d)
    {
        var endpoint = d.Endpoint ?? "unix:///var/run/docker.sock";
        if (!endpoint.StartsWith("unix://", StringComparison.Ordinal) && !Uri.TryCreate(endpoint, UriKind.Absolute, out _))
            _errors.Add($"docker.endpoint: '{endpoint}' is not unix:///path, tcp://host:port or http://host:port");
        int first = 18000, last = 18999;
        var range = d.PortRange ?? "18000-18999";
        var parts = range.Split('-');
        if (parts.Length != 2 || !int.TryParse(parts[0], out first) || !int.TryParse(parts[1], out last)
            || first < 1 || last > 65535 || first > last)
            _errors.Add($"docker.portRange: '{range}' is not FIRST-LAST with 1 <= FIRST <= LAST <= 65535");
        var access = d.GpuAccess ?? "nvidia";
        if (access is not ("nvidia" or "none")) _errors.Add($"docker.gpuAccess: '{access}' is not nvidia or none");
        return new DockerOptions
        {
            Endpoint = endpoint,
            Network = d.Network,
            PortFirst = first,
            PortLast = last,
            NvidiaGpus = access == "nvidia",
            HfCache = d.HfCache is { } hf ? PathOrName(hf) : null,
            VllmCache = d.VllmCache is { } vllm ? PathOrName(vllm) : null,
        };
    }

    private List<GpuDefinition> Gpus(List<GpuSection>? gpus)
    {
        if (gpus is null) return [new GpuDefinition(0, "long-context"), new GpuDefinition(1, "throughput")];
        var result = new List<GpuDefinition>();
        for (var i = 0; i < gpus.Count; i++)
        {
            if (gpus[i].Index is not { } index || index < 0) _errors.Add($"gpus[{i}].index: is required and must be 0 or more");
            else if (result.Any(g => g.Index == index)) _errors.Add($"gpus[{i}].index: GPU {index} is listed twice");
            else result.Add(new GpuDefinition(index, gpus[i].Role ?? "general", GpuMemory(gpus[i].Memory, $"gpus[{i}].memory")));
        }
        return result;
    }

    // The routing section feeds two features: the request path's choices and Lifecycle's timings.
    // Its keys are read in the file's order, so the errors come out as they always have.
    private (RoutingOptions, LifecycleOptions) Routing(RoutingSection r, ScheduleSection s, List<GpuDefinition> gpus, string stateDir)
    {
        var interactive = r.InteractiveGpu ?? 0;
        var batch = r.BatchGpu ?? (gpus.Count > 1 ? 1 : 0);
        if (gpus.All(g => g.Index != interactive)) _errors.Add($"routing.interactiveGpu: GPU {interactive} is not in gpus");
        if (gpus.All(g => g.Index != batch)) _errors.Add($"routing.batchGpu: GPU {batch} is not in gpus");
        var longContext = gpus.FirstOrDefault(g => g.Role == "long-context")?.Index ?? interactive;
        var tokens = r.LongContextTokens ?? 4096;
        if (tokens < 0) _errors.Add("routing.longContextTokens: must be 0 or more");
        var coldStart = Time("routing.coldStartTimeout", r.ColdStartTimeout, TimeSpan.FromMinutes(10));
        var queue = Time("routing.queueTimeout", r.QueueTimeout, TimeSpan.FromMinutes(2));
        var drain = Time("routing.drainTimeout", r.DrainTimeout, TimeSpan.FromMinutes(10));
        var streamIdle = Time("routing.streamIdleTimeout", r.StreamIdleTimeout, TimeSpan.FromMinutes(5));
        var healthPoll = Time("routing.healthPollInterval", r.HealthPollInterval, TimeSpan.FromMilliseconds(50));
        var defaultTtl = Time("routing.defaultTtl", r.DefaultTtl, TimeSpan.FromMinutes(30));
        return (
            new RoutingOptions(tokens, longContext, interactive, batch, queue, streamIdle, defaultTtl, r.LoadingMessages ?? true, s.NightFallback),
            new LifecycleOptions(coldStart, drain, healthPoll, stateDir));
    }

    private ScheduleOptions Schedule(ScheduleSection s, string stateDir)
    {
        var zone = TimeZoneInfo.Utc;
        var zoneName = s.TimeZone ?? "UTC";
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(zoneName);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            _errors.Add($"schedule.timeZone: '{zoneName}' is not a known IANA time zone (e.g. Europe/Berlin)");
        }
        var start = s.NightStart ?? "0 0 2 * * ?";
        var end = s.NightEnd ?? "0 0 6 * * ?";
        if (!Quartz.CronExpression.TryParse(start, out _)) _errors.Add($"schedule.nightStart: '{start}' is not a Quartz cron expression (e.g. \"0 0 2 * * ?\")");
        if (!Quartz.CronExpression.TryParse(end, out _)) _errors.Add($"schedule.nightEnd: '{end}' is not a Quartz cron expression (e.g. \"0 0 6 * * ?\")");
        return new ScheduleOptions(zone, start, end, stateDir);
    }

    private void CheckFallback(string? fallback, List<ModelDefinition> models)
    {
        if (fallback is null) return;
        var model = models.FirstOrDefault(m => m.Name == fallback);
        if (model is null) _errors.Add($"schedule.nightFallback: '{fallback}' is not a model in models");
        else if (!model.ServesIn(ModelMode.Night)) _errors.Add($"schedule.nightFallback: model '{fallback}' is not served at night (mode: {model.Mode.ToString().ToLowerInvariant()})");
    }

    private void CheckPostgres(string? connectionString)
    {
        if (connectionString is null) return;
        try
        {
            _ = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            _errors.Add($"usage.postgres: not an Npgsql connection string ({e.Message})");
        }
    }

    // A value with a slash is a path (made absolute); without one it is a name something else
    // looks up: a library the dynamic loader searches for, a Docker volume.
    private string PathOrName(string value) =>
        value.Contains('/', StringComparison.Ordinal) ? Path.GetFullPath(value, launchDirectory) : value;

    private long? GpuMemory(string? text, string key)
    {
        if (text is null) return null;
        if (ByteSize.TryParse(text, out var bytes) && bytes >= 1L << 30) return bytes;
        _errors.Add($"{key}: '{text}' is not a GPU memory size (e.g. 24GiB, as nvidia-smi shows the card)");
        return null;
    }

    private TimeSpan Time(string key, string? text, TimeSpan fallback)
    {
        if (text is null) return fallback;
        if (Duration.TryParse(text, out var value)) return value;
        _errors.Add($"{key}: '{text}' is not a duration (e.g. 500ms, 90s, 30m, 2h)");
        return fallback;
    }
}

using GpuRouter.Instances;
using System.Globalization;
using Docker.DotNet.Models;
using GpuRouter.Configuration;
using GpuRouter.Docker;
using GpuRouter.Failures;

namespace GpuRouter.Lifecycle;

/// <summary>
/// Brings one instance's container up: reuses a healthy one with the same spec, otherwise creates
/// and starts it, then polls /health at routing.healthPollInterval until it answers, the
/// container exits (failed, with its last log lines), or the cold-start timeout (the model's, else routing.coldStartTimeout) passes.
/// </summary>
internal sealed partial class ContainerStarter(
    IDockerClient docker,
    ContainerSpecFactory specs,
    IHostPorts ports,
    HealthProbe probe,
    LifecycleOptions lifecycle,
    TimeProvider time,
    ILogger<ContainerStarter> logger)
{
    /// <summary>The start failed because Docker did not answer: no fault of the model, so no backoff.</summary>
    public const string DockerUnavailableCode = "docker_unavailable";

    private static readonly TimeSpan InspectEvery = TimeSpan.FromSeconds(1);

    public async Task<StartOutcome> StartAsync(
        InstanceDefinition instance, Action<string> onCreated, Action onLoading, Task died, CancellationToken ct)
    {
        string? id = null;
        try
        {
            var plan = await PrepareAsync(instance, ct);
            var existing = await docker.InspectContainerAsync(instance.Name, ct);
            if (existing is { State.Running: true } && Label(existing, ContainerLabels.SpecHash) == plan.SpecHash)
            {
                id = existing.ID;
            }
            else
            {
                if (await ImageRefusalAsync(instance, plan.Spec.Image, ct) is { } refusal) return StartOutcome.Fail(refusal);
                if (existing is not null) await docker.RemoveContainerAsync(existing.ID, force: true, ignoreMissing: true, ct);
                id = await docker.CreateContainerAsync(plan.Spec, ct);
                LogCreated(logger, instance.Name, id[..12]);
            }
            onCreated(id);
            await docker.StartContainerAsync(id, ct);
            onLoading();
            if ((plan.BaseAddress ?? await BridgeAddressAsync(id, ct)) is not { } address)
            {
                return StartOutcome.Fail(Failure.Unavailable("start_failed",
                    $"{instance.Name} has no address on Docker network '{specs.Bridge}' (docker.network); is the network there?", TimeSpan.FromSeconds(10)), id);
            }
            return await WaitHealthyAsync(instance, id, address, plan.ApiKey, died, ct);
        }
        catch (DockerUnavailableException e)
        {
            return StartOutcome.Fail(Unreachable(instance, e), id);
        }
        catch (DockerApiException e)
        {
            return StartOutcome.Fail(Failure.Unavailable("start_failed", $"Docker refused to start {instance.Name}: {specs.Redact(instance.Name, e.Message)}", TimeSpan.FromSeconds(10)), id);
        }
    }

    /// <summary>The instance's API key on this engine (another host); null on the local one.</summary>
    public string? KeyFor(string instance) => specs.KeyFor(instance);

    /// <summary>The host whose engine this starter drives.</summary>
    public ContainerSite Site => specs.Site;

    // The local engine away is docker_unavailable as before; another host's engine away is that
    // host being unreachable, which the caller is told by name.
    private Failure Unreachable(InstanceDefinition instance, DockerUnavailableException e) => specs.Site.IsLocal
        ? Failure.Unavailable(DockerUnavailableCode, $"Docker is not answering, so {instance.Name} cannot start: {e.Message}", TimeSpan.FromSeconds(5))
        : Failure.HostUnreachable(specs.Site.Host, $"Host {specs.Site.Host} is unreachable (its Docker engine does not answer: {e.Message}), so {instance.Name} cannot start.", TimeSpan.FromSeconds(10));

    /// <summary>
    /// Where an adopted running container (same spec) answers, its port taken back from the
    /// allocator; null when it does not run with this spec any more or has no address.
    /// </summary>
    public async Task<Uri?> AdoptedAddressAsync(InstanceDefinition instance, string containerId, CancellationToken ct)
    {
        try
        {
            var plan = await PrepareAsync(instance, ct);
            var existing = await docker.InspectContainerAsync(containerId, ct);
            if (existing is not { State.Running: true } || Label(existing, ContainerLabels.SpecHash) != plan.SpecHash) return null;
            return plan.BaseAddress ?? ContainerAddress.OnBridge(existing, specs.Bridge!);
        }
        catch (Exception e) when (e is DockerApiException or DockerUnavailableException)
        {
            return null;
        }
    }

    private async Task<ContainerPlan> PrepareAsync(InstanceDefinition instance, CancellationToken ct)
    {
        if (!specs.NeedsPort) return specs.Create(instance, null);
        // A running container keeps its port; otherwise the instance gets its usual one.
        var existing = await docker.InspectContainerAsync(instance.Name, ct);
        if (existing is { State.Running: true } && int.TryParse(Label(existing, ContainerLabels.Port), CultureInfo.InvariantCulture, out var kept))
        {
            var plan = specs.Create(instance, kept);
            if (Label(existing, ContainerLabels.SpecHash) == plan.SpecHash)
            {
                ports.Adopt(instance.Name, kept);
                return plan;
            }
        }
        return specs.Create(instance, await ports.AllocateAsync(instance.Name, ct));
    }

    // The model goes first, positionally, which only `vllm serve` takes. Images older than that
    // entrypoint run vLLM's api_server module, which refuses the model there or, in some
    // releases, quietly serves its default model under our name: refuse them before creating.
    private async Task<Failure?> ImageRefusalAsync(InstanceDefinition instance, string image, CancellationToken ct)
    {
        var inspected = await docker.InspectImageAsync(image, ct);
        if (inspected is null)
        {
            return Failure.Unavailable("start_failed",
                $"{instance.Name} cannot start: image {image} is not on this Docker engine, and the router does not pull images (docker pull {image}).", TimeSpan.FromSeconds(30));
        }
        return inspected.Config?.Entrypoint is { } entrypoint && entrypoint.Any(a => a.Contains("vllm.entrypoints", StringComparison.Ordinal))
            ? Failure.Unavailable("start_failed",
                $"{instance.Name} cannot start: image {image} runs `{string.Join(' ', entrypoint)}`, which does not take the model as its first argument; " +
                "use a vllm/vllm-openai tag whose entrypoint is `vllm serve` (see docs/real-box.md).", TimeSpan.FromSeconds(30))
            : null;
    }

    private async Task<Uri?> BridgeAddressAsync(string id, CancellationToken ct) =>
        await docker.InspectContainerAsync(id, ct) is { } started ? ContainerAddress.OnBridge(started, specs.Bridge!) : null;

    private async Task<StartOutcome> WaitHealthyAsync(InstanceDefinition instance, string id, Uri address, string? key, Task died, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        var lastInspect = started;
        var portOpen = false;
        async Task WatchPortAsync() => portOpen = await probe.WaitForPortAsync(address, lifecycle.HealthPollInterval, time, ct);
        while (true)
        {
            if (await probe.IsHealthyAsync(address, key, ct)) return new StartOutcome(address, id, null, false);
            if (died.IsCompleted || time.GetElapsedTime(lastInspect) >= InspectEvery)
            {
                lastInspect = time.GetTimestamp();
                var state = await docker.InspectContainerAsync(id, ct);
                if (state is not { State.Running: true }) return await ExitedAsync(instance, id, state, ct);
            }
            if (time.GetElapsedTime(started) >= lifecycle.ColdStartTimeoutFor(instance))
            {
                await docker.RemoveContainerAsync(id, force: true, ignoreMissing: true, CancellationToken.None);
                var timeoutKey = instance.Model.ColdStartTimeout is null ? "routing.coldStartTimeout" : $"the coldStartTimeout of model {instance.Model.Name}";
                return StartOutcome.Fail(Failure.Unavailable("start_timeout",
                    $"{instance.Name} did not become healthy within {timeoutKey} ({Duration.Format(lifecycle.ColdStartTimeoutFor(instance))}).", TimeSpan.FromSeconds(30)));
            }
            // Until the port opens, watch it closely; once it is open (a server that listens before it
            // is healthy), ask /health at the steady poll interval.
            var wait = portOpen ? Task.Delay(lifecycle.HealthPollInterval, time, ct) : WatchPortAsync();
            await Task.WhenAny(died, wait);
            ct.ThrowIfCancellationRequested();
        }
    }

    private async Task<StartOutcome> ExitedAsync(InstanceDefinition instance, string id, ContainerInspectResponse? state, CancellationToken ct)
    {
        var logs = await LastLinesAsync(instance.Name, id, ct);
        var exit = (int?)state?.State?.ExitCode;
        var oom = OutOfMemory.IsOom(state?.State?.OOMKilled == true, exit, logs);
        var last = LogExcerpt.Relevant(logs);
        LogExitedDuringStart(logger, instance.Name, exit ?? -1, last);
        return StartOutcome.Fail(Failure.Unavailable("start_failed",
            $"{instance.Name} exited with code {exit?.ToString(CultureInfo.InvariantCulture) ?? "?"} while starting. Last log lines: {last}", TimeSpan.FromSeconds(10)),
            id, oom);
    }

    /// <summary>The container's last lines, its API key (another host) taken out: vLLM prints it among its arguments.</summary>
    public async Task<string> LastLinesAsync(string instance, string id, CancellationToken ct)
    {
        try
        {
            return specs.Redact(instance, await docker.GetLogsTailAsync(id, 20, ct));
        }
        catch (Exception e) when (e is DockerApiException or DockerUnavailableException)
        {
            return $"(logs unavailable: {e.Message})";
        }
    }

    private static string? Label(ContainerInspectResponse container, string key) => ContainerLabels.Get(container.Config?.Labels, key);

    [LoggerMessage(EventId = 3401, Level = LogLevel.Information, Message = "Created container {Container} for {Instance}")]
    private static partial void LogCreated(ILogger logger, string instance, string container);

    [LoggerMessage(EventId = 3402, Level = LogLevel.Warning, Message = "{Instance} exited with code {ExitCode} while starting: {LastLines}")]
    private static partial void LogExitedDuringStart(ILogger logger, string instance, int exitCode, string lastLines);
}

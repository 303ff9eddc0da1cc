using System.Buffers;
using GpuRouter.Gpu;

namespace GpuRouter.Telemetry;

/// <summary>
/// The router's Prometheus metrics. The names are a contract with the Grafana dashboard: extend,
/// never rename. Recording allocates nothing once a label set has been seen, so it is safe on
/// every request. Live state (in flight, queued, instance state, mode) can be pushed with the
/// Set methods or read at scrape time through <see cref="ObserveInstances"/> and <see cref="ObserveMode"/>.
/// </summary>
public sealed class RouterMetrics
{
    /// <summary>The values of router_instance_state's state label, all written for every instance.</summary>
    public static IReadOnlyList<string> InstanceStates { get; } =
        ["Stopped", "Starting", "Loading", "Ready", "Draining", "Stopping", "Failed"];

    /// <summary>The values of router_mode's mode label.</summary>
    public static IReadOnlyList<string> Modes { get; } = ["day", "night"];

    private readonly CounterFamily requests;
    private readonly HistogramFamily requestDuration;
    private readonly HistogramFamily timeToFirstToken;
    private readonly HistogramFamily queueWait;
    private readonly CounterFamily tokens;
    private readonly GaugeFamily inflight;
    private readonly GaugeFamily queued;
    private readonly GaugeFamily instanceState;
    private readonly HistogramFamily coldStart;
    private readonly CounterFamily evictions;
    private readonly CounterFamily restarts;
    private readonly GaugeFamily mode;

    public RouterMetrics(IGpuTelemetry gpus)
    {
        requests = Registry.Counter("router_requests_total",
            "Client requests answered, by model, instance, GPU, client source and HTTP status.",
            "model", "instance", "gpu", "source", "status");
        requestDuration = Registry.Histogram("router_request_duration_seconds",
            "Time from a request's arrival to its last byte.", MetricBuckets.RequestDuration, "model", "instance");
        timeToFirstToken = Registry.Histogram("router_time_to_first_token_seconds",
            "Time from a request's arrival to its first content byte, cold starts included.",
            MetricBuckets.TimeToFirstToken, "model", "instance");
        queueWait = Registry.Histogram("router_queue_wait_seconds",
            "Time a request waited for a slot on its instance.", MetricBuckets.QueueWait, "model", "instance");
        tokens = Registry.Counter("router_tokens_total", "Tokens processed, by model and kind (prompt or completion).", "model", "kind");
        inflight = Registry.Gauge("router_inflight_requests", "Requests being served by the instance now.", "instance");
        queued = Registry.Gauge("router_queued_requests", "Requests waiting for a slot on the instance now.", "instance");
        instanceState = Registry.Gauge("router_instance_state",
            "1 for the instance's current lifecycle state, 0 for the others.", "instance", "state");
        coldStart = Registry.Histogram("router_cold_start_seconds",
            "Time from starting an instance's container to its first healthy answer.", MetricBuckets.ColdStart, "instance");
        evictions = Registry.Counter("router_evictions_total",
            "Instances stopped to make room or because they idled past their TTL, by reason.", "instance", "reason");
        restarts = Registry.Counter("router_instance_restarts_total",
            "Instances started again after a crash or failure, by reason.", "instance", "reason");
        mode = Registry.Gauge("router_mode", "1 for the current schedule mode (day or night), 0 for the other.", "mode");
        GpuMetricFamilies.Register(Registry, gpus);
        ProcessMetricFamilies.Register(Registry);
    }

    internal MetricsRegistry Registry { get; } = new();

    public void RecordRequest(in RequestRecord request)
    {
        requests.WithLabels(request.Model, request.Instance, request.Gpu, request.Source, StatusCodeLabels.Get(request.Status)).Inc();
        requestDuration.WithLabels(request.Model, request.Instance).Observe(request.Duration.TotalSeconds);
        queueWait.WithLabels(request.Model, request.Instance).Observe(request.QueueWait.TotalSeconds);
        if (request.TimeToFirstToken is { } firstToken)
        {
            timeToFirstToken.WithLabels(request.Model, request.Instance).Observe(firstToken.TotalSeconds);
        }

        if (request.PromptTokens > 0)
        {
            tokens.WithLabels(request.Model, "prompt").Inc(request.PromptTokens);
        }

        if (request.CompletionTokens > 0)
        {
            tokens.WithLabels(request.Model, "completion").Inc(request.CompletionTokens);
        }
    }

    public void RecordColdStart(string instance, TimeSpan duration) =>
        coldStart.WithLabels(instance).Observe(duration.TotalSeconds);

    /// <param name="reason">A short fixed word, e.g. "ttl", "vram", "mode"; never free text.</param>
    public void RecordEviction(string instance, string reason) => evictions.WithLabels(instance, reason).Inc();

    /// <param name="reason">A short fixed word, e.g. "crash", "oom", "unhealthy"; never free text.</param>
    public void RecordRestart(string instance, string reason) => restarts.WithLabels(instance, reason).Inc();

    public void SetInflight(string instance, int count) => inflight.WithLabels(instance).Set(count);

    public void SetQueued(string instance, int count) => queued.WithLabels(instance).Set(count);

    /// <param name="state">One of <see cref="InstanceStates"/>.</param>
    public void SetInstanceState(string instance, string state)
    {
        if (!InstanceStates.Contains(state))
        {
            throw new ArgumentOutOfRangeException(nameof(state), state, "not an instance state");
        }

        foreach (var candidate in InstanceStates)
        {
            instanceState.WithLabels(instance, candidate).Set(candidate == state ? 1 : 0);
        }
    }

    /// <param name="current">One of <see cref="Modes"/>.</param>
    public void SetMode(string current)
    {
        if (!Modes.Contains(current))
        {
            throw new ArgumentOutOfRangeException(nameof(current), current, "not a mode");
        }

        foreach (var candidate in Modes)
        {
            mode.WithLabels(candidate).Set(candidate == current ? 1 : 0);
        }
    }

    /// <summary>Reads every instance's live state at each scrape, instead of pushing it on every change.</summary>
    public void ObserveInstances(Func<IEnumerable<InstanceSample>> read) =>
        Registry.OnCollect(() =>
        {
            foreach (var sample in read())
            {
                SetInflight(sample.Instance, sample.Inflight);
                SetQueued(sample.Instance, sample.Queued);
                SetInstanceState(sample.Instance, sample.State);
            }
        });

    /// <summary>Reads the current mode ("day" or "night") at each scrape.</summary>
    public void ObserveMode(Func<string> read) => Registry.OnCollect(() => SetMode(read()));

    /// <summary>Writes the text exposition (format 0.0.4) of every family.</summary>
    public void WriteTo(IBufferWriter<byte> output) => Registry.Write(output);
}

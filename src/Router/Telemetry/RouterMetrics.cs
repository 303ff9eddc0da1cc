using GpuRouter.Gpu;
using Prometheus;

namespace GpuRouter.Telemetry;

/// <summary>
/// The router's Prometheus metrics, in a prometheus-net registry of its own (never the static
/// default one, so two routers in one process, as in the tests, share no series). The names are a
/// contract with the Grafana dashboard: extend, never rename. Recording allocates nothing once a
/// label set has been seen, so it is safe on every request. Live state (in flight, queued,
/// instance state, mode) can be pushed with the Set methods or read at scrape time through
/// <see cref="ObserveInstances"/> and <see cref="ObserveMode"/>.
/// </summary>
public sealed class RouterMetrics
{
    /// <summary>The values of router_instance_state's state label, all written for every instance.</summary>
    public static IReadOnlyList<string> InstanceStates { get; } =
        ["Stopped", "Starting", "Loading", "Ready", "Draining", "Stopping", "Failed", "Sleeping", "Waking"];

    /// <summary>The values of router_mode's mode label.</summary>
    public static IReadOnlyList<string> Modes { get; } = ["day", "night"];

    private readonly RequestFamilies requests;
    private readonly Gauge inflight;
    private readonly Gauge queued;
    private readonly Gauge instanceState;
    private readonly Histogram coldStart;
    private readonly Histogram wake;
    private readonly Histogram sleep;
    private readonly Gauge hostMemorySleeping;
    private readonly Counter evictions;
    private readonly Counter restarts;
    private readonly Gauge mode;
    private readonly Gauge clientHeld;
    private readonly Gauge clientTokens;

    static RouterMetrics()
    {
        // The static default registry would start prometheus-net's .NET and process metrics, its
        // event-counter and meter adapters (a listener on every Meter: cost on every request) if
        // anything ever scraped it. Nothing should, and this makes sure it stays empty if so.
        Metrics.SuppressDefaultMetrics();
    }

    public RouterMetrics(IGpuTelemetry gpus)
    {
        // No exemplars: the default provider reads the current Activity on every observation, and
        // the text format the router serves cannot carry them anyway.
        var factory = Metrics.WithCustomRegistry(Registry);
        factory.ExemplarBehavior = new ExemplarBehavior();
        requests = new RequestFamilies(factory);
        inflight = factory.CreateGauge("router_inflight_requests", "Requests being served by the instance now.", "instance");
        queued = factory.CreateGauge("router_queued_requests", "Requests waiting for a slot on the instance now.", "instance");
        instanceState = factory.CreateGauge("router_instance_state",
            "1 for the instance's current lifecycle state, 0 for the others.", "instance", "state");
        coldStart = factory.CreateHistogram("router_cold_start_seconds",
            "Time from starting an instance's container to its first healthy answer.", ["instance"],
            new HistogramConfiguration { Buckets = [.. MetricBuckets.ColdStart] });
        wake = factory.CreateHistogram("router_wake_seconds",
            "Time to wake a sleeping instance for the requests that wait for it, making room included.", ["instance"],
            new HistogramConfiguration { Buckets = [.. MetricBuckets.Wake] });
        sleep = factory.CreateHistogram("router_sleep_seconds",
            "Time to put an instance to sleep: the /sleep call and the check that its GPU memory came free.", ["instance"],
            new HistogramConfiguration { Buckets = [.. MetricBuckets.Wake] });
        hostMemorySleeping = factory.CreateGauge("router_host_memory_sleeping_bytes",
            "Host RAM the weights of sleeping instances take now (level 1), counted from falling asleep until awake.");
        evictions = factory.CreateCounter("router_evictions_total",
            "Instances stopped to make room or because they idled past their TTL, by reason.", "instance", "reason");
        restarts = factory.CreateCounter("router_instance_restarts_total",
            "Instances started again after a crash or failure, by reason.", "instance", "reason");
        mode = factory.CreateGauge("router_mode", "1 for the current schedule mode (day or night), 0 for the other.", "mode");
        clientHeld = factory.CreateGauge("router_client_requests_held",
            "The client's requests in the router now, queued or in flight (clients[].maxConcurrent counts these).", "client");
        clientTokens = factory.CreateGauge("router_client_tokens_today",
            "The client's prompt plus completion tokens today in schedule.timeZone (clients[].tokensPerDay counts these).", "client");
        GpuMetricFamilies.Register(Registry, factory, gpus);
        ProcessMetricFamilies.Register(Registry, factory);
    }

    /// <summary>The router's own registry, which <c>GET /metrics</c> serves.</summary>
    internal CollectorRegistry Registry { get; } = Metrics.NewCustomRegistry();

    /// <summary>Counts one finished request; allocates nothing once its label set has been seen.</summary>
    public void RecordRequest(in RequestRecord request) => requests.Record(request);

    public void RecordColdStart(string instance, TimeSpan duration) =>
        coldStart.WithLabels([instance]).Observe(duration.TotalSeconds);

    public void RecordWake(string instance, TimeSpan duration) => wake.WithLabels([instance]).Observe(duration.TotalSeconds);

    public void RecordSleep(string instance, TimeSpan duration) => sleep.WithLabels([instance]).Observe(duration.TotalSeconds);

    /// <summary>Reads the host RAM sleeping weights take before each scrape.</summary>
    public void ObserveHostMemorySleeping(Func<long> read) => Registry.AddBeforeCollectCallback(() => hostMemorySleeping.Set(read()));

    /// <param name="reason">A short fixed word, e.g. "ttl", "vram", "host_memory", "mode"; never free text.</param>
    public void RecordEviction(string instance, string reason) => evictions.WithLabels([instance, reason]).Inc();

    /// <param name="reason">A short fixed word, e.g. "crash", "oom", "unhealthy"; never free text.</param>
    public void RecordRestart(string instance, string reason) => restarts.WithLabels([instance, reason]).Inc();

    public void SetInflight(string instance, int count) => inflight.WithLabels([instance]).Set(count);

    public void SetQueued(string instance, int count) => queued.WithLabels([instance]).Set(count);

    /// <param name="state">One of <see cref="InstanceStates"/>.</param>
    public void SetInstanceState(string instance, string state)
    {
        if (!InstanceStates.Contains(state))
        {
            throw new ArgumentOutOfRangeException(nameof(state), state, "not an instance state");
        }

        foreach (var candidate in InstanceStates)
        {
            instanceState.WithLabels([instance, candidate]).Set(candidate == state ? 1 : 0);
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
            mode.WithLabels([candidate]).Set(candidate == current ? 1 : 0);
        }
    }

    /// <summary>
    /// Reads every instance's live state before each scrape, instead of pushing it on every
    /// change. An instance the reading no longer lists loses its series.
    /// </summary>
    public void ObserveInstances(Func<IEnumerable<InstanceSample>> read)
    {
        var vanished = new VanishedSeries(RemoveInstance);
        Registry.AddBeforeCollectCallback(() => vanished.Update(() =>
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var sample in read())
            {
                SetInflight(sample.Instance, sample.Inflight);
                SetQueued(sample.Instance, sample.Queued);
                SetInstanceState(sample.Instance, sample.State);
                seen.Add(sample.Instance);
            }

            return seen;
        }));
    }

    /// <summary>Reads the current mode ("day" or "night") before each scrape.</summary>
    public void ObserveMode(Func<string> read) => Registry.AddBeforeCollectCallback(() => SetMode(read()));

    /// <summary>Reads every configured client's held requests and tokens of the day before each scrape (one series per client, no user label).</summary>
    public void ObserveClients(Func<IEnumerable<ClientSample>> read) => Registry.AddBeforeCollectCallback(() =>
    {
        foreach (var sample in read())
        {
            clientHeld.WithLabels([sample.Client]).Set(sample.Held);
            clientTokens.WithLabels([sample.Client]).Set(sample.TokensToday);
        }
    });

    private void RemoveInstance(string instance)
    {
        inflight.RemoveLabelled(instance);
        queued.RemoveLabelled(instance);
        foreach (var state in InstanceStates)
        {
            instanceState.RemoveLabelled(instance, state);
        }
    }
}

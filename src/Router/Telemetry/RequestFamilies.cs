using System.Collections.Concurrent;
using System.Globalization;
using Prometheus;

namespace GpuRouter.Telemetry;

/// <summary>
/// The families every request records into, and a cache of their children by model and instance.
/// A prometheus-net lookup takes a reader lock and hashes every label value, per family; the cache
/// makes a request one lock-free lookup for the pair and one for its status. Request series are
/// never removed, so a cached child stays the one the registry exports.
/// </summary>
internal sealed class RequestFamilies
{
    private readonly Counter requests;
    private readonly Histogram duration;
    private readonly Histogram firstToken;
    private readonly Histogram queueWait;
    private readonly Counter tokens;
    private readonly ConcurrentDictionary<(string Model, string Instance), Served> served = new();

    public RequestFamilies(MetricFactory factory)
    {
        requests = factory.CreateCounter("router_requests_total",
            "Client requests answered, by model, instance, GPU, client source and HTTP status.",
            "model", "instance", "gpu", "source", "status");
        duration = Histogram(factory, "router_request_duration_seconds",
            "Time from a request's arrival to its last byte.", MetricBuckets.RequestDuration);
        firstToken = Histogram(factory, "router_time_to_first_token_seconds",
            "Time from a request's arrival to its first content byte, cold starts included.", MetricBuckets.TimeToFirstToken);
        queueWait = Histogram(factory, "router_queue_wait_seconds",
            "Time a request waited for a slot on its instance.", MetricBuckets.QueueWait);
        tokens = factory.CreateCounter("router_tokens_total", "Tokens processed, by model and kind (prompt or completion).", "model", "kind");
    }

    public void Record(in RequestRecord request)
    {
        var key = (request.Model, request.Instance);
        var series = served.GetOrAdd(key, static (k, families) => new Served(families, k.Model, k.Instance), this);
        series.Requests(request.Gpu, request.Source, request.Status).Inc();
        series.Duration.Observe(request.Duration.TotalSeconds);
        series.QueueWait.Observe(request.QueueWait.TotalSeconds);
        if (request.TimeToFirstToken is { } ttft)
        {
            series.FirstToken.Observe(ttft.TotalSeconds);
        }

        if (request.PromptTokens > 0)
        {
            series.PromptTokens.Inc(request.PromptTokens);
        }

        if (request.CompletionTokens > 0)
        {
            series.CompletionTokens.Inc(request.CompletionTokens);
        }
    }

    private static Histogram Histogram(MetricFactory factory, string name, string help, IReadOnlyList<double> buckets) =>
        factory.CreateHistogram(name, help, ["model", "instance"], new HistogramConfiguration { Buckets = [.. buckets] });

    /// <summary>
    /// The children of one model on one instance. Each is created when first recorded into (a series
    /// appears on the page only once it has something to say); a race creates it twice, and
    /// prometheus-net hands both callers the same child.
    /// </summary>
    private sealed class Served(RequestFamilies families, string model, string instance)
    {
        private readonly RequestFamilies families = families;
        private readonly string model = model;
        private readonly string instance = instance;
        private readonly ConcurrentDictionary<(string Gpu, string Source, int Status), Counter.Child> requests = new();
        private Histogram.Child? duration;
        private Histogram.Child? queueWait;
        private Histogram.Child? firstToken;
        private Counter.Child? promptTokens;
        private Counter.Child? completionTokens;

        public Histogram.Child Duration => duration ??= families.duration.WithLabels(model, instance);

        public Histogram.Child QueueWait => queueWait ??= families.queueWait.WithLabels(model, instance);

        public Histogram.Child FirstToken => firstToken ??= families.firstToken.WithLabels(model, instance);

        public Counter.Child PromptTokens => promptTokens ??= families.tokens.WithLabels(model, "prompt");

        public Counter.Child CompletionTokens => completionTokens ??= families.tokens.WithLabels(model, "completion");

        public Counter.Child Requests(string gpu, string source, int status)
        {
            return requests.GetOrAdd((gpu, source, status), static (k, s) =>
                s.families.requests.WithLabels(s.model, s.instance, k.Gpu, k.Source, k.Status.ToString(CultureInfo.InvariantCulture)), this);
        }
    }
}

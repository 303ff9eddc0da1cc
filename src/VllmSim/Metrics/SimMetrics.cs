using System.Globalization;
using System.Text;
using VllmSim.Engine;

namespace VllmSim.Metrics;

/// <summary>
/// The vLLM (V1 engine) metrics the router reads, with vLLM's names, types, labels and buckets:
/// <c>model_name</c> is the first served model name, <c>engine</c> is always "0".
/// </summary>
internal sealed class SimMetrics(SimOptions options, SimStats stats, Scheduler scheduler, SleepState sleep)
{
    private readonly Histogram timeToFirstToken = new(
        "vllm:time_to_first_token_seconds", "Histogram of time to first token in seconds.",
        [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0]);

    private readonly Histogram endToEnd = new(
        "vllm:e2e_request_latency_seconds", "Histogram of e2e request latency in seconds.",
        [0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0]);

    private readonly string labels = $"engine=\"0\",model_name=\"{Escape(options.EffectiveModelNames[0])}\"";
    private long promptTokens;
    private long generationTokens;
    private long finishedStop;
    private long finishedLength;
    private long finishedAbort;

    public void ObserveFirstToken(TimeSpan sinceArrival, int prompt)
    {
        timeToFirstToken.Observe(sinceArrival.TotalSeconds);
        Interlocked.Add(ref promptTokens, prompt);
    }

    public void AddGenerated(int tokens) => Interlocked.Add(ref generationTokens, tokens);

    public void ObserveFinished(TimeSpan sinceArrival, string finishReason)
    {
        endToEnd.Observe(sinceArrival.TotalSeconds);
        Interlocked.Increment(ref finishReason == "length" ? ref finishedLength : ref finishedStop);
    }

    public void ObserveAborted() => Interlocked.Increment(ref finishedAbort);

    public string Render()
    {
        var text = new StringBuilder(4096);
        Gauge(text, "vllm:num_requests_running", "Number of requests in model execution batches.", stats.Running);
        Gauge(text, "vllm:num_requests_waiting", "Number of requests waiting to be processed.", stats.Waiting);
        Gauge(text, "vllm:kv_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage.", scheduler.KvCacheUsage);
        if (options.EnableSleepMode)
        {
            SleepGauge(text);
        }
        Counter(text, "vllm:prompt_tokens", "Number of prefill tokens processed.", Interlocked.Read(ref promptTokens));
        Counter(text, "vllm:generation_tokens", "Number of generation tokens processed.", Interlocked.Read(ref generationTokens));
        text.Append("# HELP vllm:request_success_total Count of successfully processed requests.\n");
        text.Append("# TYPE vllm:request_success_total counter\n");
        foreach (var (reason, value) in new[] { ("stop", Interlocked.Read(ref finishedStop)), ("length", Interlocked.Read(ref finishedLength)), ("abort", Interlocked.Read(ref finishedAbort)) })
        {
            text.Append("vllm:request_success_total{").Append(labels).Append(",finished_reason=\"").Append(reason).Append("\"} ")
                .Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        timeToFirstToken.WriteTo(text, labels);
        endToEnd.WriteTo(text, labels);
        return text.ToString();
    }

    private void Gauge(StringBuilder text, string name, string help, double value)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        text.Append("# TYPE ").Append(name).Append(" gauge\n");
        text.Append(name).Append('{').Append(labels).Append("} ").Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
    }

    // vLLM registers it with sleep mode: one sample per state, 1 for the current one.
    private void SleepGauge(StringBuilder text)
    {
        var level = sleep.Level;
        text.Append("# HELP vllm:engine_sleep_state Engine sleep state; awake = 0 means engine is sleeping; awake = 1 means engine is awake; ")
            .Append("weights_offloaded = 1 means sleep level 1; discard_all = 1 means sleep level 2.\n");
        text.Append("# TYPE vllm:engine_sleep_state gauge\n");
        foreach (var (state, on) in new[] { ("awake", level == 0), ("weights_offloaded", level == 1), ("discard_all", level == 2) })
        {
            text.Append("vllm:engine_sleep_state{").Append(labels).Append(",sleep_state=\"").Append(state).Append("\"} ")
                .Append(on ? '1' : '0').Append('\n');
        }
    }

    // vLLM's counters come from prometheus_client, whose text format names family and sample "_total".
    private void Counter(StringBuilder text, string family, string help, long value)
    {
        text.Append("# HELP ").Append(family).Append("_total ").Append(help).Append('\n');
        text.Append("# TYPE ").Append(family).Append("_total counter\n");
        text.Append(family).Append("_total{").Append(labels).Append("} ").Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}

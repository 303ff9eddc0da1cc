using GpuRouter.Telemetry;

namespace Router.Tests.Telemetry;

public sealed class ExpositionWriterTests
{
    [Fact]
    public void Write_SmallRegistry_MatchesTheGoldenText()
    {
        var registry = new MetricsRegistry();
        // Registered out of name order, and children created out of label order: the text is sorted.
        var latency = registry.Histogram("test_latency_seconds", "Latency.", [0.5, 1], "route");
        var requests = registry.Counter("test_requests_total", "Requests with a \\ and a\nnewline.", "path", "code");
        registry.Gauge("test_empty", "Has no series, so it is left out.", "x");
        requests.WithLabels("b", "200").Inc(2);
        requests.WithLabels("a\\b\"c\nd", "500").Inc();
        foreach (var seconds in new[] { 0.25, 0.5, 0.75, 3.0 })
        {
            latency.WithLabels("/v1/chat").Observe(seconds);
        }

        var text = Exposition.Of(registry);

        Assert.Equal(
            """
            # HELP test_latency_seconds Latency.
            # TYPE test_latency_seconds histogram
            test_latency_seconds_bucket{route="/v1/chat",le="0.5"} 2
            test_latency_seconds_bucket{route="/v1/chat",le="1"} 3
            test_latency_seconds_bucket{route="/v1/chat",le="+Inf"} 4
            test_latency_seconds_sum{route="/v1/chat"} 4.5
            test_latency_seconds_count{route="/v1/chat"} 4
            # HELP test_requests_total Requests with a \\ and a\nnewline.
            # TYPE test_requests_total counter
            test_requests_total{path="a\\b\"c\nd",code="500"} 1
            test_requests_total{path="b",code="200"} 2

            """.ReplaceLineEndings("\n"),
            text);
    }

    [Fact]
    public void Write_UnlabeledGaugeWithSpecialValues_WritesInfNaNAndShortestDoubles()
    {
        var registry = new MetricsRegistry();
        registry.Gauge("a_pos", "X.").WithLabels().Set(double.PositiveInfinity);
        registry.Gauge("b_neg", "X.").WithLabels().Set(double.NegativeInfinity);
        registry.Gauge("c_nan", "X.").WithLabels().Set(double.NaN);
        registry.Gauge("d_small", "X.").WithLabels().Set(0.1 + 0.2);
        registry.Gauge("e_big", "X.").WithLabels().Set(25769803776);

        var samples = Exposition.Of(registry).Split('\n').Where(l => l.Length > 0 && l[0] != '#');

        Assert.Equal(["a_pos +Inf", "b_neg -Inf", "c_nan NaN", "d_small 0.30000000000000004", "e_big 25769803776"], samples);
    }

    [Fact]
    public void Write_NonAsciiLabelValue_IsUtf8()
    {
        var registry = new MetricsRegistry();
        registry.Counter("t_total", "T.", "model").WithLabels("модель-7B").Inc();

        Assert.Contains("t_total{model=\"модель-7B\"} 1\n", Exposition.Of(registry), StringComparison.Ordinal);
    }

    [Fact]
    public void Registry_DuplicateOrInvalidNames_AreRejected()
    {
        var registry = new MetricsRegistry();
        registry.Counter("dup_total", "D.");

        Assert.Throws<InvalidOperationException>(() => registry.Gauge("dup_total", "D."));
        Assert.Throws<ArgumentException>(() => registry.Gauge("9lives", "N."));
        Assert.Throws<ArgumentException>(() => registry.Gauge("bad_label", "N.", "le"));
        Assert.Throws<ArgumentException>(() => registry.Gauge("bad_label2", "N.", "has-dash"));
        Assert.Throws<ArgumentException>(() => registry.Histogram("bad_buckets", "N.", [1, 0.5]));
        Assert.Throws<ArgumentException>(() => registry.Counter("arity_total", "N.", "a").WithLabels("x", "y"));
    }

    [Fact]
    public void Histogram_ObservationOnABound_CountsInThatBucket()
    {
        var registry = new MetricsRegistry();
        var histogram = registry.Histogram("h_seconds", "H.", [1, 2]).WithLabels();
        histogram.Observe(1);
        histogram.Observe(2.0000001);
        histogram.Observe(double.NaN);

        var text = Exposition.Of(registry);

        Assert.Contains("h_seconds_bucket{le=\"1\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("h_seconds_bucket{le=\"2\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("h_seconds_bucket{le=\"+Inf\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("h_seconds_count 2\n", text, StringComparison.Ordinal);
    }
}

using VllmSim.Tests.Support;

namespace VllmSim.Tests.Api;

public sealed class MetricsTests
{
    [Fact]
    public async Task Metrics_AfterRequests_ExposesVllmNamesWithModelLabel()
    {
        await using var sim = await Sim.StartAsync(o => o.ServedModelNames = ["served"]);
        await sim.Client.PostJsonAsync("/v1/chat/completions", """{"messages":[{"role":"user","content":"a b c"}],"max_tokens":4}""");

        using var response = await sim.Client.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        const string labels = "{engine=\"0\",model_name=\"served\"}";
        Assert.Contains("# TYPE vllm:num_requests_running gauge", text, StringComparison.Ordinal);
        Assert.Contains($"vllm:num_requests_running{labels} 0", text, StringComparison.Ordinal);
        Assert.Contains($"vllm:num_requests_waiting{labels} 0", text, StringComparison.Ordinal);
        Assert.Contains($"vllm:kv_cache_usage_perc{labels} 0", text, StringComparison.Ordinal);
        Assert.Contains($"vllm:generation_tokens_total{labels} 4", text, StringComparison.Ordinal);
        Assert.Matches("vllm:prompt_tokens_total\\{engine=\"0\",model_name=\"served\"\\} [1-9][0-9]*", text);
        Assert.Contains("# TYPE vllm:time_to_first_token_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("vllm:time_to_first_token_seconds_bucket{engine=\"0\",model_name=\"served\",le=\"+Inf\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("vllm:e2e_request_latency_seconds_count{engine=\"0\",model_name=\"served\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("vllm:request_success_total{engine=\"0\",model_name=\"served\",finished_reason=\"length\"} 1", text, StringComparison.Ordinal);
    }
}

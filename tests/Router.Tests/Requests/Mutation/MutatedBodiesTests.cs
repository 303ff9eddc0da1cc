using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Router.Tests.Telemetry;
using Xunit.Abstractions;

namespace Router.Tests.Requests.Mutation;

/// <summary>
/// A few thousand mutated valid bodies, seeded and so reproducible, at a bounded concurrency, to
/// every OpenAI endpoint of a real router in front of simulators on loopback. Whatever a client
/// sends: never a 500, 502 or 504 (a 503 only for a full queue), every instance back to nothing
/// in flight or queued, and the router's own refusals counted with an empty model label.
/// </summary>
public sealed class MutatedBodiesTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Seed = 20261202;
    private const int Requests = 3000;
    private const int Concurrency = 16;

    private static readonly (string Path, string Body)[] Valid =
    [
        ("/v1/chat/completions", """{"model":"llama","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Caf\u00e9 \ud83d\ude42 hello"}],"max_tokens":8,"temperature":0.7}"""),
        ("/v1/chat/completions", """{"model":"llama","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":[{"type":"text","text":"what is this?"},{"type":"image_url","image_url":{"url":"https://example.invalid/cat.jpg"}}]}],"max_completion_tokens":6}"""),
        ("/v1/chat/completions", """{"model":"llama","messages":[{"role":"user","content":"weather?"}],"tools":[{"type":"function","function":{"name":"get_weather","description":"Current weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}],"max_tokens":5}"""),
        ("/v1/completions", """{"model":"llama","prompt":"Once upon a time","max_tokens":6,"n":1}"""),
        ("/v1/completions", """{"model":"llama","prompt":["a","b c d"],"max_tokens":4,"stream":true}"""),
        ("/v1/responses", """{"model":"llama","instructions":"Triage.","input":[{"role":"user","content":[{"type":"input_text","text":"Ticket 4411 failed"}]}],"max_output_tokens":8}"""),
        ("/v1/responses", """{"model":"llama","input":"hello","stream":true,"max_output_tokens":4}"""),
        ("/v1/embeddings", """{"model":"bge-m3","input":["first passage","second, longer passage"],"encoding_format":"float"}"""),
        ("/v1/embeddings", """{"model":"bge-m3","input":"one passage"}"""),
        ("/v1/rerank", """{"model":"reranker","query":"stop an idle container?","documents":["The TTL sweeper stops idle instances.","Unrelated."],"top_n":1}"""),
        ("/rerank", """{"model":"reranker","query":"q","documents":[{"text":"a document"},"another"]}"""),
    ];

    private readonly Sims _sims = new();
    private RouterFactory _router = null!;

    public async Task InitializeAsync()
    {
        var chat = await _sims.StartAsync("llama", o => { o.MaxModelLen = 8192; o.TtftMs = 1; });
        var embed = await _sims.StartAsync("bge-m3");
        var rerank = await _sims.StartAsync("reranker");
        _router = new RouterFactory($$"""
            {{TestKeys.ClientsYaml}}
            routing: { queueTimeout: 10s, streamIdleTimeout: 10s }
            schedule: { timeZone: UTC, nightStart: "0 0 2 1 1 ? 2099", nightEnd: "0 0 6 1 1 ? 2099" }
            models:
              - { name: llama, instances: [{ name: llama_0, gpus: [0], endpoint: "{{chat.BaseAddress}}", maxModelLen: 8192, maxConcurrent: 4, maxQueue: 8 }] }
              - { name: bge-m3, kind: embedding, instances: [{ name: bge_m3_1, gpus: [1], endpoint: "{{embed.BaseAddress}}", maxConcurrent: 8 }] }
              - { name: reranker, kind: rerank, instances: [{ name: rerank_1, gpus: [1], endpoint: "{{rerank.BaseAddress}}", maxConcurrent: 8 }] }
            """);
    }

    public async Task DisposeAsync()
    {
        _router.Dispose();
        await _sims.DisposeAsync();
    }

    [Fact]
    public async Task ThousandsOfMutatedBodies_NoServerErrorNoHeldSlotAndEveryRefusalCounted()
    {
        var mutator = new BodyMutator(Seed);
        var plan = Enumerable.Range(0, Requests).Select(i => Valid[i % Valid.Length]).Select(v => (v.Path, Mutation: mutator.Next(v.Body))).ToList();
        using var client = _router.Client(TestKeys.WebUi);
        var results = new ConcurrentBag<Outcome>();

        await Parallel.ForEachAsync(plan, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (item, ct) =>
            results.Add(await SendAsync(client, item.Path, item.Mutation.Kind, item.Mutation.Body, ct)));

        Report(results);
        Assert.Equal(Requests, results.Count);
        var serverErrors = results.Where(r => r.Status >= 500 && !(r.Status == 503 && r.Code is "queue_full" or "queue_timeout")).ToList();
        Assert.True(serverErrors.Count == 0, "server errors: " + string.Join("; ", serverErrors.Take(5).Select(r => $"{r.Status} {r.Path} {r.Kind}: {r.Detail}")));
        var unshaped = results.Where(r => r.Status >= 400 && r.Code is null).ToList();
        Assert.True(unshaped.Count == 0, "errors without an OpenAI error body: " + string.Join("; ", unshaped.Take(5).Select(r => $"{r.Status} {r.Path} {r.Kind}: {r.Detail}")));
        Assert.Contains(results, r => r.Status == 200);

        await Eventually.TrueAsync(InstancesIdleAsync, "every instance has nothing in flight and nothing queued");
        await AssertCountedAsync(client, results);
    }

    private static async Task<Outcome> SendAsync(HttpClient client, string path, string kind, byte[] body, CancellationToken ct)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), content, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        var status = (int)response.StatusCode;
        var origin = response.Headers.TryGetValues("X-Router-Error-Origin", out var values) ? values.First() : null;
        return new Outcome(path, kind, status, status >= 400 ? ErrorCode(text) : "", origin, text.Length > 300 ? text[..300] : text);
    }

    // The error's code (vLLM writes a number, the router a string), or null when the body is not OpenAI's error shape.
    private static string? ErrorCode(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var error = doc.RootElement.GetProperty("error");
            return error.GetProperty("message").ValueKind == JsonValueKind.String ? error.GetProperty("code").ToString() : null;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    private async Task<bool> InstancesIdleAsync()
    {
        using var client = _router.Client(TestKeys.WebUi);
        using var health = JsonDocument.Parse(await client.GetStringAsync(new Uri("/health", UriKind.Relative)));
        return health.RootElement.GetProperty("instances").EnumerateArray()
            .All(i => i.GetProperty("inFlight").GetInt32() == 0 && i.GetProperty("queued").GetInt32() == 0);
    }

    // Every answer is in router_requests_total under its status; the router's own refusals before
    // an instance was chosen (all its 4xx) under an empty model label, the rest under the model.
    private static async Task AssertCountedAsync(HttpClient client, IReadOnlyCollection<Outcome> results)
    {
        var page = await MetricsPage.ScrapeAsync(client);
        foreach (var group in results.GroupBy(r => r.Status))
        {
            var status = group.Key.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(group.Count(), page.Sum("router_requests_total", ("status", status)));
            var refusedByRouter = group.Count(r => r.Origin == "router" && r.Status < 500);
            Assert.Equal(refusedByRouter, page.Sum("router_requests_total", ("model", ""), ("instance", ""), ("status", status)));
        }
    }

    private void Report(IReadOnlyCollection<Outcome> results)
    {
        output.WriteLine($"Mutation test: seed {Seed}, {results.Count} requests, concurrency {Concurrency}, {Valid.Length} valid bodies over 6 routes.");
        output.WriteLine("Statuses: " + string.Join(", ", results.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}")));
        // A backend's own error passes through as the backend wrote it, without the router's origin header.
        output.WriteLine("Refused by the router: " + results.Count(r => r.Origin == "router")
            + ", errors from the backends passed through: " + results.Count(r => r.Status >= 400 && r.Origin != "router"));
        foreach (var kind in results.GroupBy(r => r.Kind).OrderBy(g => g.Key))
            output.WriteLine($"  {kind.Key,-15} {kind.Count(),5}: " + string.Join(", ", kind.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{g.Key} x{g.Count()}")));
        foreach (var route in results.GroupBy(r => r.Path).OrderBy(g => g.Key))
            output.WriteLine($"  {route.Key,-22} {route.Count(),5}: " + string.Join(", ", route.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{g.Key} x{g.Count()}")));
        output.WriteLine("Error codes: " + string.Join(", ", results.Where(r => r.Status >= 400).GroupBy(r => $"{r.Status} {r.Code}").OrderBy(g => g.Key).Select(g => $"{g.Key} x{g.Count()}")));
    }

    private sealed record Outcome(string Path, string Kind, int Status, string? Code, string? Origin, string Detail);
}

using System.Collections.Frozen;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using GpuRouter.Routing;

namespace GpuRouter.Benchmarks;

/// <summary>Classifying a chat body: one Utf8JsonReader pass plus the token estimate.</summary>
[MemoryDiagnoser]
public class ScanBenchmarks
{
    private readonly FrozenSet<string> _knownModels = new[] { "llama", "qwen-72b", "bge-m3" }.ToFrozenSet(StringComparer.Ordinal);
    private byte[] _body = [];

    [Params(1, 32, 256)]
    public int BodyKb { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _body = ChatBodies.Create(BodyKb * 1024);
        var facts = RequestScanner.Scan(_body, EndpointKind.ChatCompletions, _knownModels);
        if (!facts.IsValid || facts.Model != "llama")
        {
            throw new InvalidOperationException($"The benchmark body does not scan: {facts.Error}");
        }
    }

    [Benchmark(Baseline = true)]
    public int ScanKnownModel() =>
        RequestScanner.Scan(_body, EndpointKind.ChatCompletions, _knownModels).EstimatedPromptTokens;

    /// <summary>The floor: Utf8JsonReader alone, touching every token and estimating nothing.</summary>
    [Benchmark]
    public int ReaderOnly()
    {
        var reader = new Utf8JsonReader(_body);
        var tokens = 0;
        while (reader.Read())
        {
            tokens++;
        }

        return tokens;
    }

    [Benchmark]
    public int ScanNewModelString() =>
        RequestScanner.Scan(_body, EndpointKind.ChatCompletions).EstimatedPromptTokens;
}

using System.Collections.Frozen;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using GpuRouter.Requests;

namespace GpuRouter.Benchmarks;

/// <summary>
/// Classifying a chat body: the encoding check (valid UTF-8, no lone surrogate escape), then one
/// Utf8JsonReader pass plus the token estimate. The baseline is the JSON pass alone, as the
/// scanner was before the encoding check, so the Ratio column is the check's cost.
/// </summary>
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

    /// <summary>Before: the JSON pass without the encoding check.</summary>
    [Benchmark(Baseline = true)]
    public int ScanWithoutTextCheck() =>
        RequestScanner.ScanJson(_body, EndpointKind.ChatCompletions, _knownModels).EstimatedPromptTokens;

    /// <summary>After: what the router runs on every request.</summary>
    [Benchmark]
    public int ScanKnownModel() =>
        RequestScanner.Scan(_body, EndpointKind.ChatCompletions, _knownModels).EstimatedPromptTokens;

    /// <summary>The encoding check alone.</summary>
    [Benchmark]
    public bool TextCheckOnly() => BodyText.Check(_body) is null;

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

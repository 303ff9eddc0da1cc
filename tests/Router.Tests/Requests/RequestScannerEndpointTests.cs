using System.Text;
using GpuRouter.Requests;
using Router.Tests.Requests.Bodies;

namespace Router.Tests.Requests;

public sealed class RequestScannerEndpointTests
{
    [Fact]
    public void Scan_N8nResponsesBody_ReadsBudgetItemsAndTools()
    {
        var facts = Scan(EndpointKind.Responses, SampleBodies.N8nResponses);

        Assert.Null(facts.Error);
        Assert.Equal("llama", facts.Model);
        Assert.False(facts.Stream);
        Assert.Equal(800, facts.MaxTokens);
        Assert.Equal(3, facts.MessageCount);
        // Instructions, three items (text, call arguments, call output) and a tool schema.
        Assert.InRange(facts.EstimatedPromptTokens, 110, 170);
    }

    [Fact]
    public void Scan_ResponsesStringInput_IsOneMessage()
    {
        var facts = Scan(EndpointKind.Responses, """{"input":"abcdabcd","model":"m","max_output_tokens":5,"max_tokens":9}""");

        Assert.Equal(1, facts.MessageCount);
        Assert.Equal(5, facts.MaxTokens);
        Assert.Equal(3 + 5 + 2, facts.EstimatedPromptTokens);
    }

    [Fact]
    public void Scan_ResponsesInputImage_CountsTheImage()
    {
        var facts = Scan(EndpointKind.Responses, """{"model":"m","input":[{"role":"user","content":[{"type":"input_text","text":"describe"},{"type":"input_image","image_url":"data:image/jpeg;base64,AAAA"},{"type":"input_image","file_id":"file-1"}]}]}""");

        Assert.Equal(2, facts.ImageCount);
        Assert.InRange(facts.EstimatedPromptTokens, 2 * TokenEstimator.ImageTokens, (2 * TokenEstimator.ImageTokens) + 15);
    }

    [Fact]
    public void Scan_ResponsesStreamOptionsWithoutStream_IsNotOurs_ToRefuse()
    {
        Assert.Null(Scan(EndpointKind.Responses, """{"model":"m","input":"x","stream_options":{"include_obfuscation":false}}""").Error);
    }

    [Fact]
    public void Scan_CompletionsPromptArray_CountsEachPromptAndReportsTheLongest()
    {
        var facts = Scan(EndpointKind.Completions, SampleBodies.CompletionsPromptArray);
        var longest = Tokens("The quick brown fox jumps over the lazy dog and keeps running") + TokenEstimator.SequenceOverhead;

        Assert.Null(facts.Error);
        Assert.Equal(3, facts.MessageCount);
        Assert.Equal(64, facts.MaxTokens);
        Assert.Equal(longest + Tokens(" The end."), facts.EstimatedPromptTokens);
    }

    [Theory]
    [InlineData("""{"model":"m","prompt":[1,2,3,4,5,6,7]}""", 1, 7)]
    [InlineData("""{"model":"m","prompt":[[1,2,3],[4,5,6,7,8,9,10,11,12,13],[14]]}""", 3, 10)]
    [InlineData("""{"model":"m","prompt":[]}""", 0, 0)]
    [InlineData("""{"model":"m","prompt":[[]]}""", 1, 0)]
    public void Scan_PreTokenizedPrompts_CountOneTokenPerInteger(string body, int sequences, int longest)
    {
        var facts = Scan(EndpointKind.Completions, body);

        Assert.Null(facts.Error);
        Assert.Equal(sequences, facts.MessageCount);
        Assert.Equal(longest, facts.EstimatedPromptTokens);
    }

    [Fact]
    public void Scan_CompletionsStreamOptionsWithoutStream_IsRefused()
    {
        Assert.Equal("stream_options", Scan(EndpointKind.Completions, """{"model":"m","prompt":"x","stream_options":{"include_usage":true}}""").Error?.Param);
    }

    [Fact]
    public void Scan_EmbeddingsList_CountsInputsAndTheLongest()
    {
        var facts = Scan(EndpointKind.Embeddings, SampleBodies.EmbeddingsList);

        Assert.Null(facts.Error);
        Assert.Equal("bge-m3", facts.Model);
        Assert.Equal(3, facts.MessageCount);
        Assert.Equal(
            Tokens("second, much longer passage about how vLLM schedules sequences on the GPU") + TokenEstimator.SequenceOverhead,
            facts.EstimatedPromptTokens);
    }

    [Theory]
    [InlineData("""{"model":"m","input":"abcdabcd"}""", 1, 3)]
    [InlineData("""{"model":"m","input":[[101,2023,102],[101,102]]}""", 2, 3)]
    [InlineData("""{"input":[101,2023,2003,102],"model":"m","dimensions":256}""", 1, 4)]
    public void Scan_EmbeddingInputShapes_AreAllRead(string body, int inputs, int longest)
    {
        var facts = Scan(EndpointKind.Embeddings, body);

        Assert.Null(facts.Error);
        Assert.Equal(inputs, facts.MessageCount);
        Assert.Equal(longest, facts.EstimatedPromptTokens);
    }

    [Fact]
    public void Scan_Rerank_PairsTheQueryWithTheLongestDocument()
    {
        var facts = Scan(EndpointKind.Rerank, SampleBodies.Rerank);

        Assert.Null(facts.Error);
        Assert.Equal("bge-reranker", facts.Model);
        Assert.Equal(3, facts.MessageCount);
        Assert.Equal(
            Tokens("How do I stop an idle container?") + TokenEstimator.PromptOverhead
                + Tokens("Containers are started on demand by the lifecycle owner, one start per instance."),
            facts.EstimatedPromptTokens);
    }

    [Fact]
    public void Scan_RerankDocumentsBeforeQuery_GiveTheSameFacts()
    {
        var queryFirst = Scan(EndpointKind.Rerank, """{"model":"r","query":"abcd","documents":["abcdabcd",{"title":"t","text":"abcd"}]}""");
        var documentsFirst = Scan(EndpointKind.Rerank, """{"documents":["abcdabcd",{"text":"abcd","title":"t"}],"query":"abcd","model":"r"}""");

        Assert.Equal(queryFirst, documentsFirst);
        Assert.Equal(1 + 3 + 2, queryFirst.EstimatedPromptTokens);
    }

    [Fact]
    public void Scan_SameBodyOnAnotherEndpoint_LooksForThatEndpointsFields()
    {
        var facts = Scan(EndpointKind.Embeddings, """{"model":"m","messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal("input", facts.Error?.Param);
    }

    private static int Tokens(string text) => TokenEstimator.CountJsonString(Encoding.UTF8.GetBytes(text));

    private static RequestFacts Scan(EndpointKind kind, string body) => RequestScanner.Scan(Encoding.UTF8.GetBytes(body), kind);
}

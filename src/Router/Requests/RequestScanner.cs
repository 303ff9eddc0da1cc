using System.Collections.Frozen;
using System.Text.Json;

namespace GpuRouter.Requests;

/// <summary>
/// Reads the routing facts of an OpenAI-style request body in one forward pass of
/// <see cref="Utf8JsonReader"/>: no document, no deserialized objects, and no allocation on a
/// valid body except the model name (none at all when it matches a known model). Fields may come
/// in any order. Values the router does not need are skipped, so the pass costs what a JSON
/// validation costs. Before it, <see cref="BodyText"/> checks the encoding of the whole body.
/// Bad input never throws: it comes back as <see cref="RequestFacts.Error"/>.
/// Only what routing relies on is validated; the rest is vLLM's to judge.
/// </summary>
internal static partial class RequestScanner
{
    // Deeper than any real request (tool schemas included) yet bounded, so junk nested a
    // million levels deep is refused by the reader instead of costing a walk.
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 128 };

    public static RequestFacts Scan(ReadOnlySpan<byte> utf8Body, EndpointKind kind) => Scan(utf8Body, kind, null);

    /// <param name="utf8Body">The whole body.</param>
    /// <param name="kind">The endpoint it was posted to.</param>
    /// <param name="knownModels">
    /// Configured model names (ordinal); a match returns the set's own string instead of a new one.
    /// </param>
    public static RequestFacts Scan(ReadOnlySpan<byte> utf8Body, EndpointKind kind, FrozenSet<string>? knownModels) =>
        BodyText.Check(utf8Body) is { } textError ? RequestFacts.Failed(textError) : ScanJson(utf8Body, kind, knownModels);

    /// <summary>The JSON pass alone, without <see cref="BodyText.Check"/> (the benchmark's baseline).</summary>
    internal static RequestFacts ScanJson(ReadOnlySpan<byte> utf8Body, EndpointKind kind, FrozenSet<string>? knownModels)
    {
        var state = default(RequestScannerState);
        try
        {
            var reader = new Utf8JsonReader(utf8Body, ReaderOptions);
            if (!ScanBody(ref reader, kind, knownModels, ref state))
            {
                return RequestFacts.Failed(state.Error ?? RequestScannerErrors.InvalidJson);
            }
        }
        catch (JsonException)
        {
            return RequestFacts.Failed(RequestScannerErrors.InvalidJson);
        }

        return Finish(in state, kind);
    }

    private static bool ScanBody(ref Utf8JsonReader reader, EndpointKind kind, FrozenSet<string>? knownModels, ref RequestScannerState state)
    {
        if (!reader.Read())
        {
            return Fail(ref state, RequestScannerErrors.InvalidJson);
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            // Read the rest first: a broken body is a parse error whatever its first token.
            var first = reader.TokenType;
            reader.Skip();
            reader.Read();
            return Fail(ref state, RequestScannerErrors.BodyNotObject(first));
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!ScanProperty(ref reader, kind, knownModels, ref state))
            {
                return false;
            }
        }

        // Anything after the closing brace makes the reader throw here.
        reader.Read();
        return true;
    }

    private static bool ScanProperty(ref Utf8JsonReader reader, EndpointKind kind, FrozenSet<string>? knownModels, ref RequestScannerState state)
    {
        if (reader.ValueTextEquals("model"u8))
        {
            reader.Read();
            return ReadModel(ref reader, knownModels, ref state);
        }

        if (reader.ValueTextEquals("stream"u8))
        {
            reader.Read();
            return ReadStream(ref reader, ref state);
        }

        if (reader.ValueTextEquals("stream_options"u8))
        {
            reader.Read();
            return ReadStreamOptions(ref reader, ref state);
        }

        return kind switch
        {
            EndpointKind.ChatCompletions => ScanChatProperty(ref reader, ref state),
            EndpointKind.Completions => ScanCompletionsProperty(ref reader, ref state),
            EndpointKind.Responses => ScanResponsesProperty(ref reader, ref state),
            EndpointKind.Embeddings => ScanEmbeddingsProperty(ref reader, ref state),
            _ => ScanRerankProperty(ref reader, ref state),
        };
    }

    private static RequestFacts Finish(in RequestScannerState state, EndpointKind kind)
    {
        if (state.Model is null)
        {
            return RequestFacts.Failed(RequestScannerErrors.Missing("model"));
        }

        if (!state.SawPrompt || (kind == EndpointKind.Rerank && !state.SawDocuments))
        {
            return RequestFacts.Failed(RequestScannerErrors.Missing(kind switch
            {
                EndpointKind.ChatCompletions => "messages",
                EndpointKind.Completions => "prompt",
                EndpointKind.Rerank when state.SawPrompt => "documents",
                EndpointKind.Rerank => "query",
                _ => "input",
            }));
        }

        if (state.StreamOptionsSet && !state.Stream && kind is EndpointKind.ChatCompletions or EndpointKind.Completions)
        {
            return RequestFacts.Failed(RequestScannerErrors.StreamOptionsWithoutStream);
        }

        var tokens = kind switch
        {
            EndpointKind.ChatCompletions or EndpointKind.Responses => TokenEstimator.PromptOverhead + state.PromptTokens,
            EndpointKind.Rerank => state.PromptTokens + state.LongestSequence,
            _ => state.LongestSequence + state.PromptTokens,
        };
        return new RequestFacts
        {
            Model = state.Model,
            Stream = state.Stream,
            IncludeUsage = state.IncludeUsage,
            MaxTokens = state.MaxCompletionTokens ?? state.MaxTokens,
            EstimatedPromptTokens = (int)Math.Min(int.MaxValue, tokens),
            MessageCount = state.MessageCount,
            IsOwuiTaskPrompt = kind == EndpointKind.ChatCompletions && !state.Stream
                && state.UserMessages == 1 && state.FirstUserMessageIsTask,
            ImageCount = state.ImageCount,
        };
    }

    private static bool Fail(ref RequestScannerState state, ScanError error)
    {
        state.Error = error;
        return false;
    }
}

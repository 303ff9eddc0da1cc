using System.Text.Json;

namespace GpuRouter.Requests;

/// <summary>Which top-level fields carry the prompt, per endpoint. Unknown fields are skipped.</summary>
internal static partial class RequestScanner
{
    private static bool ScanChatProperty(ref Utf8JsonReader reader, ref RequestScannerState state)
    {
        if (reader.ValueTextEquals("messages"u8))
        {
            reader.Read();
            state.SawPrompt = true;
            return reader.TokenType == JsonTokenType.StartArray
                ? ScanMessages(ref reader, ref state)
                : Fail(ref state, RequestScannerErrors.InvalidType("messages", "an array", reader.TokenType));
        }

        if (reader.ValueTextEquals("max_tokens"u8))
        {
            reader.Read();
            return ReadTokenBudget(ref reader, "max_tokens", ref state.MaxTokens, ref state);
        }

        if (reader.ValueTextEquals("max_completion_tokens"u8))
        {
            reader.Read();
            return ReadTokenBudget(ref reader, "max_completion_tokens", ref state.MaxCompletionTokens, ref state);
        }

        return ScanToolsOrSkip(ref reader, ref state);
    }

    private static bool ScanResponsesProperty(ref Utf8JsonReader reader, ref RequestScannerState state)
    {
        if (reader.ValueTextEquals("input"u8))
        {
            reader.Read();
            state.SawPrompt = true;
            return ScanResponsesInput(ref reader, ref state);
        }

        if (reader.ValueTextEquals("instructions"u8))
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.String)
            {
                state.PromptTokens += TokenEstimator.MessageOverhead + TokenEstimator.CountJsonString(reader.ValueSpan);
            }
            else
            {
                reader.Skip();
            }

            return true;
        }

        if (reader.ValueTextEquals("max_output_tokens"u8))
        {
            reader.Read();
            return ReadTokenBudget(ref reader, "max_output_tokens", ref state.MaxTokens, ref state);
        }

        return ScanToolsOrSkip(ref reader, ref state);
    }

    private static bool ScanCompletionsProperty(ref Utf8JsonReader reader, ref RequestScannerState state)
    {
        if (reader.ValueTextEquals("prompt"u8))
        {
            reader.Read();
            return ScanBatchedInput(ref reader, "prompt", ref state);
        }

        if (reader.ValueTextEquals("max_tokens"u8))
        {
            reader.Read();
            return ReadTokenBudget(ref reader, "max_tokens", ref state.MaxTokens, ref state);
        }

        if (reader.ValueTextEquals("suffix"u8))
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.String)
            {
                state.PromptTokens += TokenEstimator.CountJsonString(reader.ValueSpan);
            }
            else
            {
                reader.Skip();
            }

            return true;
        }

        reader.Read();
        reader.Skip();
        return true;
    }

    private static bool ScanEmbeddingsProperty(ref Utf8JsonReader reader, ref RequestScannerState state)
    {
        if (reader.ValueTextEquals("input"u8))
        {
            reader.Read();
            return ScanBatchedInput(ref reader, "input", ref state);
        }

        reader.Read();
        reader.Skip();
        return true;
    }

    private static bool ScanRerankProperty(ref Utf8JsonReader reader, ref RequestScannerState state)
    {
        if (reader.ValueTextEquals("query"u8))
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                return Fail(ref state, RequestScannerErrors.InvalidType("query", "a string", reader.TokenType));
            }

            state.SawPrompt = true;
            // A cross-encoder reads each pair as [CLS] query [SEP] document [SEP].
            state.PromptTokens += TokenEstimator.CountJsonString(reader.ValueSpan) + TokenEstimator.PromptOverhead;
            return true;
        }

        if (reader.ValueTextEquals("documents"u8))
        {
            reader.Read();
            state.SawDocuments = true;
            return reader.TokenType == JsonTokenType.StartArray
                ? ScanDocuments(ref reader, ref state)
                : Fail(ref state, RequestScannerErrors.InvalidType("documents", "an array", reader.TokenType));
        }

        reader.Read();
        reader.Skip();
        return true;
    }

    /// <summary>Tool schemas are copied into the prompt by the chat template: they are real tokens.</summary>
    private static bool ScanToolsOrSkip(ref Utf8JsonReader reader, ref RequestScannerState state)
    {
        var isTools = reader.ValueTextEquals("tools"u8) || reader.ValueTextEquals("functions"u8);
        reader.Read();
        if (isTools)
        {
            state.PromptTokens += CountRawJson(ref reader);
        }
        else
        {
            reader.Skip();
        }

        return true;
    }

    /// <summary>Skips the current value and prices its raw JSON; null costs nothing.</summary>
    private static long CountRawJson(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return 0;
        }

        var start = reader.TokenStartIndex;
        reader.Skip();
        return TokenEstimator.CountJsonFragment(reader.BytesConsumed - start);
    }
}

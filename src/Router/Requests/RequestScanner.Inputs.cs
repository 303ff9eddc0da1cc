using System.Text.Json;

namespace GpuRouter.Requests;

/// <summary>
/// Batched inputs, where every element is its own sequence: completion prompts, embedding
/// inputs (strings, or pre-tokenized integer arrays) and rerank documents.
/// </summary>
internal static partial class RequestScanner
{
    private static bool ScanBatchedInput(ref Utf8JsonReader reader, string param, ref RequestScannerState state)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                state.SawPrompt = true;
                state.AddSequence(TokenEstimator.SequenceOverhead + TokenEstimator.CountJsonString(reader.ValueSpan));
                return true;
            case JsonTokenType.StartArray:
                state.SawPrompt = true;
                ScanBatch(ref reader, ref state);
                return true;
            case JsonTokenType.Null:
                return Fail(ref state, RequestScannerErrors.Missing(param));
            default:
                return Fail(ref state, RequestScannerErrors.InvalidType(param, "a string or an array", reader.TokenType));
        }
    }

    private static void ScanBatch(ref Utf8JsonReader reader, ref RequestScannerState state)
    {
        // A flat array of integers is one pre-tokenized sequence, not many.
        long flatTokenIds = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    state.AddSequence(TokenEstimator.SequenceOverhead + TokenEstimator.CountJsonString(reader.ValueSpan));
                    break;
                case JsonTokenType.Number:
                    flatTokenIds++;
                    break;
                case JsonTokenType.StartArray:
                    state.AddSequence(CountTokenIds(ref reader));
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        if (flatTokenIds > 0)
        {
            state.AddSequence(flatTokenIds);
        }
    }

    /// <summary>Pre-tokenized input is exact: one token per integer, no template added.</summary>
    private static long CountTokenIds(ref Utf8JsonReader reader)
    {
        long count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.Number)
            {
                count++;
            }
            else
            {
                reader.Skip();
            }
        }

        return count;
    }

    private static bool ScanDocuments(ref Utf8JsonReader reader, ref RequestScannerState state)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                state.AddSequence(TokenEstimator.CountJsonString(reader.ValueSpan));
            }
            else if (reader.TokenType == JsonTokenType.StartObject)
            {
                state.AddSequence(ScanDocumentObject(ref reader));
            }
            else
            {
                reader.Skip();
            }
        }

        return true;
    }

    /// <summary>Cohere- and Jina-style documents: <c>{"text": "..."}</c>, other fields ignored.</summary>
    private static long ScanDocumentObject(ref Utf8JsonReader reader)
    {
        long tokens = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isText = reader.ValueTextEquals("text"u8);
            reader.Read();
            if (isText && reader.TokenType == JsonTokenType.String)
            {
                tokens += TokenEstimator.CountJsonString(reader.ValueSpan);
            }
            else
            {
                reader.Skip();
            }
        }

        return tokens;
    }
}

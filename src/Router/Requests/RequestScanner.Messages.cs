using System.Text.Json;

namespace GpuRouter.Requests;

/// <summary>
/// Chat messages and Responses input items, which share a shape: a role, content as a string or
/// as parts, and tool calls. Parts are text (counted) or images (a fixed cost: their URL, often a
/// base64 data URL, is never counted as text).
/// </summary>
internal static partial class RequestScanner
{
    private static bool ScanMessages(ref Utf8JsonReader reader, ref RequestScannerState state)
    {
        for (var index = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; index++)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return Fail(ref state, RequestScannerErrors.InvalidType($"messages[{index}]", "an object", reader.TokenType));
            }

            ScanMessage(ref reader, ref state);
        }

        return true;
    }

    private static bool ScanResponsesInput(ref Utf8JsonReader reader, ref RequestScannerState state)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                state.MessageCount++;
                state.PromptTokens += TokenEstimator.MessageOverhead + TokenEstimator.CountJsonString(reader.ValueSpan);
                return true;
            case JsonTokenType.StartArray:
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        ScanMessage(ref reader, ref state);
                    }
                    else if (reader.TokenType == JsonTokenType.String)
                    {
                        state.MessageCount++;
                        state.PromptTokens += TokenEstimator.MessageOverhead + TokenEstimator.CountJsonString(reader.ValueSpan);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }

                return true;
            case JsonTokenType.Null:
                return Fail(ref state, RequestScannerErrors.Missing("input"));
            default:
                return Fail(ref state, RequestScannerErrors.InvalidType("input", "a string or an array", reader.TokenType));
        }
    }

    /// <summary>One message or item; the reader is on its StartObject and ends on its EndObject.</summary>
    private static void ScanMessage(ref Utf8JsonReader reader, ref RequestScannerState state)
    {
        state.MessageCount++;
        long tokens = TokenEstimator.MessageOverhead;
        var isUser = false;
        var isTask = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("role"u8))
            {
                reader.Read();
                isUser = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("user"u8);
            }
            else if (reader.ValueTextEquals("content"u8) || reader.ValueTextEquals("output"u8))
            {
                reader.Read();
                tokens += ScanContent(ref reader, ref state, ref isTask);
            }
            else if (reader.ValueTextEquals("tool_calls"u8))
            {
                reader.Read();
                tokens += CountRawJson(ref reader);
            }
            else if (reader.ValueTextEquals("name"u8) || reader.ValueTextEquals("arguments"u8))
            {
                reader.Read();
                tokens += reader.TokenType == JsonTokenType.String
                    ? TokenEstimator.CountJsonString(reader.ValueSpan)
                    : CountRawJson(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        state.PromptTokens += tokens;
        if (isUser && ++state.UserMessages == 1)
        {
            state.FirstUserMessageIsTask = isTask;
        }
    }

    private static long ScanContent(ref Utf8JsonReader reader, ref RequestScannerState state, ref bool isTask)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            isTask = IsTaskPrompt(reader.ValueSpan);
            return TokenEstimator.CountJsonString(reader.ValueSpan);
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return 0;
        }

        long tokens = 0;
        var sawText = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                isTask = sawText ? isTask : IsTaskPrompt(reader.ValueSpan);
                sawText = true;
                tokens += TokenEstimator.CountJsonString(reader.ValueSpan);
            }
            else if (reader.TokenType == JsonTokenType.StartObject)
            {
                tokens += ScanPart(ref reader, ref state, ref sawText, ref isTask);
            }
            else
            {
                reader.Skip();
            }
        }

        return tokens;
    }

    /// <summary>One content part; <c>type</c> and the payload may come in either order.</summary>
    private static long ScanPart(ref Utf8JsonReader reader, ref RequestScannerState state, ref bool sawText, ref bool isTask)
    {
        long tokens = 0;
        var isImage = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("text"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    isTask = sawText ? isTask : IsTaskPrompt(reader.ValueSpan);
                    sawText = true;
                    tokens += TokenEstimator.CountJsonString(reader.ValueSpan);
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                isImage |= reader.TokenType == JsonTokenType.String
                    && (reader.ValueTextEquals("image_url"u8) || reader.ValueTextEquals("input_image"u8) || reader.ValueTextEquals("image"u8));
            }
            else
            {
                // image_url (a URL or a base64 data URL) marks an image and is never text; other
                // payloads (audio, files) are not text either.
                isImage |= reader.ValueTextEquals("image_url"u8);
                reader.Read();
                reader.Skip();
            }
        }

        if (isImage)
        {
            state.ImageCount++;
            tokens += TokenEstimator.ImageTokens;
        }

        return tokens;
    }

    // Open WebUI's task templates (title, tags, follow-ups, queries) all begin with this header.
    // The raw bytes are checked: an escape inside these nine ASCII characters would be perverse.
    private static bool IsTaskPrompt(ReadOnlySpan<byte> raw) => raw.StartsWith("### Task:"u8);
}

using System.Collections.Frozen;
using System.Text.Json;

namespace GpuRouter.Requests;

/// <summary>The fields every endpoint shares: model, stream, stream_options and the token budgets.</summary>
internal static partial class RequestScanner
{
    // Model names are short; longer values are decoded on the heap rather than on the stack.
    private const int MaxStackModelChars = 256;

    private static bool ReadModel(ref Utf8JsonReader reader, FrozenSet<string>? knownModels, ref RequestScannerState state)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return Fail(ref state, RequestScannerErrors.Missing("model"));
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            return Fail(ref state, RequestScannerErrors.InvalidType("model", "a string", reader.TokenType));
        }

        try
        {
            state.Model = DecodeModel(ref reader, knownModels);
            return true;
        }
        catch (InvalidOperationException)
        {
            // The reader does not check UTF-8 inside strings; decoding does, and throws.
            return Fail(ref state, RequestScannerErrors.InvalidJson);
        }
    }

    private static string DecodeModel(ref Utf8JsonReader reader, FrozenSet<string>? knownModels)
    {
        if (reader.ValueSpan.Length > MaxStackModelChars)
        {
            return reader.GetString()!;
        }

        // Unescaped text is never longer in UTF-16 units than its raw UTF-8 bytes.
        Span<char> buffer = stackalloc char[MaxStackModelChars];
        var name = buffer[..reader.CopyString(buffer)];
        if (knownModels is not null
            && knownModels.TryGetAlternateLookup<ReadOnlySpan<char>>(out var lookup)
            && lookup.TryGetValue(name, out var known))
        {
            return known;
        }

        return new string(name);
    }

    private static bool ReadStream(ref Utf8JsonReader reader, ref RequestScannerState state)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.True or JsonTokenType.False:
                state.Stream = reader.TokenType == JsonTokenType.True;
                return true;
            case JsonTokenType.Null:
                state.Stream = false;
                return true;
            default:
                return Fail(ref state, RequestScannerErrors.InvalidType("stream", "a boolean", reader.TokenType));
        }
    }

    private static bool ReadStreamOptions(ref Utf8JsonReader reader, ref RequestScannerState state)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return Fail(ref state, RequestScannerErrors.InvalidType("stream_options", "an object", reader.TokenType));
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            state.StreamOptionsSet = true;
            var isIncludeUsage = reader.ValueTextEquals("include_usage"u8);
            reader.Read();
            if (!isIncludeUsage)
            {
                reader.Skip();
            }
            else if (reader.TokenType is JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null)
            {
                state.IncludeUsage = reader.TokenType == JsonTokenType.True;
            }
            else
            {
                return Fail(ref state, RequestScannerErrors.InvalidType("stream_options.include_usage", "a boolean", reader.TokenType));
            }
        }

        return true;
    }

    private static bool ReadTokenBudget(ref Utf8JsonReader reader, string param, ref int? budget, ref RequestScannerState state)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            budget = null;
            return true;
        }

        if (reader.TokenType != JsonTokenType.Number)
        {
            return Fail(ref state, RequestScannerErrors.InvalidType(param, "an integer", reader.TokenType));
        }

        if (reader.TryGetInt32(out var value))
        {
            if (value < 0)
            {
                return Fail(ref state, RequestScannerErrors.BelowMinimum(param, value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }

            budget = value;
            return true;
        }

        var raw = reader.ValueSpan;
        if (raw.IndexOfAny(".eE"u8) >= 0)
        {
            return Fail(ref state, RequestScannerErrors.InvalidType(param, "an integer", "a decimal number"));
        }

        if (raw[0] == (byte)'-')
        {
            return Fail(ref state, RequestScannerErrors.BelowMinimum(param, System.Text.Encoding.UTF8.GetString(raw)));
        }

        // An integer beyond int: no context holds it, and the context-fit check will say so.
        budget = int.MaxValue;
        return true;
    }
}

using System.Buffers;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace GpuRouter.Requests;

/// <summary>
/// Estimates prompt tokens without a tokenizer, for routing and for the context-fit check.
/// Under-estimating is the worse error (a request that does not fit reaches vLLM and fails
/// there), so the weights lean high. They were fitted against the real Llama 3 tokenizer
/// (tiktoken's cl100k vocabulary plus 28K tokens for other languages):
/// <list type="bullet">
/// <item>ASCII: letters and spaces a quarter token, digits and punctuation a third (Llama 3
/// splits numbers into groups of three digits; markup and symbols rarely merge). Measured
/// estimate / real: conversational English 1.15 (1.01 to 1.26 per paragraph), legal prose 1.2,
/// technical Markdown 1.00 (0.87 to 1.11), C# 1.18; only dense tables of numbers and product
/// codes fall under, to about 0.7.</item>
/// <item>Non-ASCII, per code point: the 3-byte UTF-8 range (CJK, kana, Hangul, Indic, Thai)
/// five sixths of a token, measured 0.4 to 0.7 (Chinese 0.70, Japanese 0.67); two-byte code
/// points (accented Latin, Greek, Cyrillic, Arabic) half a token, measured 0.3 to 0.43, except
/// Hebrew at 1.25, measured 1.23 (the vocabulary barely covers it); General Punctuation
/// (curly quotes, dashes) half a token; 4-byte code points (emoji) two.</item>
/// <item>Escapes are decoded for counting, not approximated from their raw length: Python
/// clients such as Open WebUI send every non-ASCII character as <c>\uXXXX</c>, six bytes that
/// are under one token. A surrogate pair counts as one 4-byte code point.</item>
/// <item>Raw JSON that the chat template copies into the prompt (tool schemas, tool calls): one
/// token per 3 bytes, because braces, quotes and keys tokenize densely.</item>
/// <item>Each chat message adds the template's framing: Llama 3 spends 5 tokens on a message's
/// header and end-of-turn marker. A prompt adds 3 for begin-of-text and the assistant header
/// that opens the answer; a batched text input adds 1 per sequence.</item>
/// <item>An image costs 576 tokens, the 24 x 24 patch grid of a 336-pixel CLIP ViT-L/14 as in
/// LLaVA-1.5. Our box serves text models, which refuse images anyway; dynamic-resolution models
/// such as Qwen2-VL spend more on large images, so raise this if one is ever configured.</item>
/// <item>Pre-tokenized input (arrays of integers) counts one token per integer, exactly.</item>
/// </list>
/// Weights are kept in twelfths of a token so that each string is rounded up once.
/// </summary>
internal static class TokenEstimator
{
    public const int MessageOverhead = 5;
    public const int PromptOverhead = 3;
    public const int SequenceOverhead = 1;
    public const int ImageTokens = 576;
    public const int JsonBytesPerToken = 3;

    private const int Letter = 3;
    private const int OtherAscii = 4;
    private const int TwoByte = 6;
    private const int Hebrew = 15;
    private const int ThreeByte = 10;
    private const int Punctuation = 6;
    private const int FourByte = 24;
    private const int Unit = 12;

    // Bytes that end a run of plain ASCII: the escape character and every non-ASCII byte.
    private static readonly SearchValues<byte> NotPlainAscii = SearchValues.Create(PlainAsciiStops());

    /// <summary>Tokens in a JSON string value given as its raw bytes between the quotes (escapes undecoded).</summary>
    public static int CountJsonString(ReadOnlySpan<byte> raw)
    {
        long twelfths = 0;
        var i = 0;
        while (i < raw.Length)
        {
            var run = raw[i..].IndexOfAny(NotPlainAscii);
            var ascii = run < 0 ? raw[i..] : raw.Slice(i, run);
            twelfths += (OtherAscii * (long)ascii.Length) - ((OtherAscii - Letter) * (long)CountLettersAndSpaces(ascii));
            i += ascii.Length;
            if (run >= 0)
            {
                i += raw[i] == (byte)'\\' ? CountEscape(raw[i..], ref twelfths) : CountMultiByte(raw[i..], ref twelfths);
            }
        }

        return (int)Math.Min(int.MaxValue, (twelfths + Unit - 1) / Unit);
    }

    /// <summary>Tokens for a JSON fragment that the chat template copies into the prompt as JSON.</summary>
    public static int CountJsonFragment(long bytes) =>
        (int)Math.Min(int.MaxValue, (bytes + JsonBytesPerToken - 1) / JsonBytesPerToken);

    private static int CountEscape(ReadOnlySpan<byte> escape, ref long twelfths)
    {
        if (escape.Length < 6 || escape[1] != (byte)'u' || !TryParseHex(escape.Slice(2, 4), out var unit))
        {
            // \n, \t and \r are whitespace; \", \\, \/ and friends punctuation.
            twelfths += escape.Length > 1 && escape[1] is (byte)'n' or (byte)'t' or (byte)'r' ? Letter : OtherAscii;
            return Math.Min(2, escape.Length);
        }

        if (char.IsHighSurrogate((char)unit))
        {
            twelfths += FourByte;
            var rest = escape[6..];
            var paired = rest.Length >= 6 && rest[0] == (byte)'\\' && rest[1] == (byte)'u'
                && TryParseHex(rest.Slice(2, 4), out var low) && char.IsLowSurrogate((char)low);
            return paired ? 12 : 6;
        }

        twelfths += Weight(unit);
        return 6;
    }

    private static int CountMultiByte(ReadOnlySpan<byte> bytes, ref long twelfths)
    {
        var lead = bytes[0];
        if (lead >= 0xF0 && bytes.Length >= 4)
        {
            twelfths += FourByte;
            return 4;
        }

        if (lead >= 0xE0 && bytes.Length >= 3)
        {
            twelfths += Weight(((lead & 0x0F) << 12) | ((bytes[1] & 0x3F) << 6) | (bytes[2] & 0x3F));
            return 3;
        }

        if (lead >= 0xC0 && bytes.Length >= 2)
        {
            twelfths += Weight(((lead & 0x1F) << 6) | (bytes[1] & 0x3F));
            return 2;
        }

        // A stray byte of broken UTF-8 (the reader does not check): priced, never trusted.
        twelfths += TwoByte;
        return 1;
    }

    private static int Weight(int codePoint) => codePoint switch
    {
        < 0x80 => char.IsAsciiLetter((char)codePoint) || codePoint == ' ' ? Letter : OtherAscii,
        >= 0x590 and <= 0x5FF => Hebrew,
        < 0x800 => TwoByte,
        >= 0x2000 and <= 0x206F => Punctuation,
        _ => ThreeByte,
    };

    private static int CountLettersAndSpaces(ReadOnlySpan<byte> ascii)
    {
        var count = 0;
        var i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            var caseBit = Vector128.Create((byte)0x20);
            var a = Vector128.Create((byte)'a');
            var alphabet = Vector128.Create((byte)26);
            for (; i + Vector128<byte>.Count <= ascii.Length; i += Vector128<byte>.Count)
            {
                var v = Vector128.Create(ascii.Slice(i, Vector128<byte>.Count));
                var hits = Vector128.LessThan((v | caseBit) - a, alphabet) | Vector128.Equals(v, caseBit);
                count += BitOperations.PopCount(hits.ExtractMostSignificantBits());
            }
        }

        for (; i < ascii.Length; i++)
        {
            var b = ascii[i];
            count += (uint)((b | 0x20) - 'a') < 26 || b == ' ' ? 1 : 0;
        }

        return count;
    }

    private static bool TryParseHex(ReadOnlySpan<byte> hex, out int value)
    {
        value = 0;
        foreach (var b in hex)
        {
            var digit = b switch
            {
                >= (byte)'0' and <= (byte)'9' => b - '0',
                >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
                _ => -1,
            };
            if (digit < 0)
            {
                return false;
            }

            value = (value << 4) | digit;
        }

        return true;
    }

    private static byte[] PlainAsciiStops()
    {
        var stops = new byte[129];
        stops[0] = (byte)'\\';
        for (var b = 0x80; b <= 0xFF; b++)
        {
            stops[b - 0x7F] = (byte)b;
        }

        return stops;
    }
}

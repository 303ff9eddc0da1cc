using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text.Unicode;

namespace GpuRouter.Requests;

/// <summary>
/// The text rules a body must keep before anything reads it: valid UTF-8 throughout, and every
/// <c>\uD800</c>-<c>\uDFFF</c> escape part of a high-low pair. Utf8JsonReader checks neither (it
/// only decodes the strings it is asked for, and the scanner skips most of them), while vLLM's
/// server refuses undecodable bytes and fails later on lone surrogates. Two vectorized passes
/// over the whole body (<see cref="Utf8.IsValid"/>, then a search for surrogate escapes), so
/// tool descriptions and every field the scanner skips are covered at no measurable cost.
/// </summary>
internal static class BodyText
{
    private const int Unset = -1;

    /// <summary>Null for a clean body; otherwise the first problem, naming its field where the JSON allows.</summary>
    public static ScanError? Check(ReadOnlySpan<byte> body)
    {
        if (!Utf8.IsValid(body))
        {
            var at = FirstInvalidByte(body);
            return RequestScannerErrors.InvalidUtf8(JsonFieldPath.At(body, at), at, body[at]);
        }

        var lone = FirstLoneSurrogate(body);
        return lone == Unset ? null : RequestScannerErrors.LoneSurrogate(JsonFieldPath.At(body, lone), lone, body.Slice(lone, 6));
    }

    /// <summary>The offset of the first <c>\uXXXX</c> escape of a surrogate that is not half of a pair, or -1.</summary>
    internal static int FirstLoneSurrogate(ReadOnlySpan<byte> body)
    {
        // Candidates are "\ud" and "\uD" (every surrogate escape starts so; accents and other
        // escapes do not), found 32 bytes at a time; only those are looked at one by one.
        var pairEnd = 0;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var start = ref MemoryMarshal.GetReference(body);
            for (; i + Vector256<byte>.Count + 2 <= body.Length; i += Vector256<byte>.Count)
            {
                var candidates = Vector256.Equals(Vector256.LoadUnsafe(ref start, (nuint)i), Vector256.Create((byte)'\\'))
                    & Vector256.Equals(Vector256.LoadUnsafe(ref start, (nuint)(i + 1)), Vector256.Create((byte)'u'))
                    & Vector256.Equals(Vector256.LoadUnsafe(ref start, (nuint)(i + 2)) | Vector256.Create((byte)0x20), Vector256.Create((byte)'d'));
                for (var bits = candidates.ExtractMostSignificantBits(); bits != 0; bits &= bits - 1)
                {
                    var offset = BitOperations.TrailingZeroCount(bits);
                    switch (Judge(body, i + offset, pairEnd))
                    {
                        case Escape.Lone:
                            return i + offset;
                        case Escape.PairStart:
                            // Its low half is judged with it: drop that candidate, here or in the next block.
                            pairEnd = i + offset + 12;
                            bits &= offset + 6 < 32 ? ~(1u << (offset + 6)) : uint.MaxValue;
                            break;
                    }
                }
            }
        }

        for (; i + 2 < body.Length; i++)
        {
            if (body[i] != '\\' || body[i + 1] != 'u' || (body[i + 2] | 0x20) != 'd') continue;
            switch (Judge(body, i, pairEnd))
            {
                case Escape.Lone:
                    return i;
                case Escape.PairStart:
                    pairEnd = i + 12;
                    break;
            }
        }

        return Unset;
    }

    // Judges a "\ud"/"\uD" candidate; most are halves of pairs (emoji). A low half before
    // pairEnd belongs to a pair already judged. A malformed escape is the JSON reader's to refuse.
    private static Escape Judge(ReadOnlySpan<byte> body, int at, int pairEnd)
    {
        if (at < pairEnd || at + 6 > body.Length)
        {
            return Escape.Other;
        }

        // \uD000-\uD7FF are ordinary characters; a surrogate's next digit is 8-9 or A-F.
        var next = body[at + 3] | 0x20;
        if (next is < '8' or > 'f' or (> '9' and < 'a') || !IsEscape(body, at))
        {
            return Escape.Other;
        }

        if (next <= 'b' && at + 12 <= body.Length && body[at + 6] == '\\' && body[at + 7] == 'u'
            && (body[at + 8] | 0x20) == 'd' && (body[at + 9] | 0x20) is >= 'c' and <= 'f')
        {
            return Escape.PairStart;
        }

        return HexUnit(body, at + 2) == Unset ? Escape.Other : Escape.Lone;
    }

    // A backslash escapes what follows only if the run of backslashes it ends is odd.
    private static bool IsEscape(ReadOnlySpan<byte> body, int backslash)
    {
        var run = 1;
        while (backslash - run >= 0 && body[backslash - run] == '\\')
        {
            run++;
        }

        return run % 2 == 1;
    }

    private static int HexUnit(ReadOnlySpan<byte> body, int at)
    {
        if (body.Length < at + 4)
        {
            return Unset;
        }

        var value = 0;
        foreach (var b in body.Slice(at, 4))
        {
            var digit = HexDigit(b);
            if (digit < 0)
            {
                return Unset;
            }

            value = (value << 4) | digit;
        }

        return value;
    }

    private enum Escape { Other, PairStart, Lone }

    private static int HexDigit(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => Unset,
    };

    // The error path only: decode in chunks until the decoder stops at the bad byte.
    private static int FirstInvalidByte(ReadOnlySpan<byte> body)
    {
        Span<char> scratch = stackalloc char[256];
        var at = 0;
        while (true)
        {
            var status = Utf8.ToUtf16(body[at..], scratch, out var read, out _, replaceInvalidSequences: false);
            at += read;
            if (status != OperationStatus.DestinationTooSmall)
            {
                return Math.Min(at, body.Length - 1);
            }
        }
    }
}

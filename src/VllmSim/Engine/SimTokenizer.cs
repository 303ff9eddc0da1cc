using System.Buffers;
using System.Text;

namespace VllmSim.Engine;

/// <summary>
/// A deterministic stand-in for a BPE tokenizer, used by usage counts, /tokenize and the context
/// check. The UTF-8 text is cut into pieces: a word (letters, digits, '_' or any non-ASCII byte)
/// together with one space before it, a run of other whitespace, or a single punctuation byte.
/// Each piece is then cut into tokens of at most 3 bytes. A token's id packs its length and its
/// bytes (length &lt;&lt; 24 | bytes), so /detokenize inverts /tokenize exactly. English text comes
/// out at roughly one token per 2.5-3 bytes, a little above a real tokenizer's count, which keeps
/// a router that estimates with "bytes / 4" on the safe side of the context check.
/// </summary>
internal static class SimTokenizer
{
    public const int MaxTokenBytes = 3;

    public static int Count(string text)
    {
        var count = 0;
        Walk(text, (_, length) => count += (length + MaxTokenBytes - 1) / MaxTokenBytes);
        return count;
    }

    public static List<int> Encode(string text)
    {
        var ids = new List<int>();
        var bytes = Encoding.UTF8.GetBytes(text);
        Walk(bytes, (start, length) =>
        {
            for (var offset = 0; offset < length; offset += MaxTokenBytes)
            {
                var size = Math.Min(MaxTokenBytes, length - offset);
                var id = size << 24;
                for (var k = 0; k < size; k++)
                {
                    id |= bytes[start + offset + k] << (16 - (8 * k));
                }
                ids.Add(id);
            }
        });
        return ids;
    }

    /// <summary>The text of the ids, or null with the first id that is not one of ours.</summary>
    public static string? Decode(IReadOnlyList<long> ids, out long badId)
    {
        badId = 0;
        var bytes = new byte[ids.Count * MaxTokenBytes];
        var used = 0;
        foreach (var id in ids)
        {
            var size = (int)(id >> 24);
            if (id < 0 || size is < 1 or > MaxTokenBytes || (id & ((1 << (8 * (MaxTokenBytes - size))) - 1)) != 0)
            {
                badId = id;
                return null;
            }
            for (var k = 0; k < size; k++)
            {
                bytes[used++] = (byte)(id >> (16 - (8 * k)));
            }
        }
        return Encoding.UTF8.GetString(bytes, 0, used);
    }

    /// <summary>The text of each token, as /tokenize's token_strs shows it.</summary>
    public static string TokenText(int id) => Decode([id], out _) ?? string.Empty;

    private static void Walk(string text, Action<int, int> piece)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = Encoding.UTF8.GetBytes(text, rented);
            Walk(rented.AsSpan(0, written), piece);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static void Walk(ReadOnlySpan<byte> b, Action<int, int> piece)
    {
        var i = 0;
        while (i < b.Length)
        {
            var start = i;
            if (IsWord(b[i]) || StartsSpacedWord(b, i))
            {
                i++;
                while (i < b.Length && IsWord(b[i]))
                {
                    i++;
                }
            }
            else if (IsSpace(b[i]))
            {
                i++;
                while (i < b.Length && IsSpace(b[i]) && !StartsSpacedWord(b, i))
                {
                    i++;
                }
            }
            else
            {
                i++;
            }
            piece(start, i - start);
        }
    }

    private static bool StartsSpacedWord(ReadOnlySpan<byte> b, int i) => b[i] == (byte)' ' && i + 1 < b.Length && IsWord(b[i + 1]);

    private static bool IsWord(byte c) => c >= 0x80 || char.IsAsciiLetterOrDigit((char)c) || c == (byte)'_';

    private static bool IsSpace(byte c) => c is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\f' or (byte)'\v';
}

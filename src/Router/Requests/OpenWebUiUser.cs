using System.Globalization;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace GpuRouter.Requests;

/// <summary>
/// The end user Open WebUI names when <c>ENABLE_FORWARD_USER_INFO_HEADERS</c> is on, read only for
/// keys with <c>trustUserHeaders</c>. Only the id and the name are taken (the e-mail, role and
/// chat id are never read). Open WebUI percent-encodes the name; a header value can still hold
/// anything a client puts there, so each is bounded, decoded leniently and stripped of control and
/// formatting characters, and an empty result counts as absent.
/// </summary>
internal static class OpenWebUiUser
{
    public const string IdHeader = "X-OpenWebUI-User-Id";
    public const string NameHeader = "X-OpenWebUI-User-Name";

    /// <summary>Characters kept of either value.</summary>
    public const int MaxLength = 128;

    // Enough raw text for MaxLength characters however they are encoded (%XX%XX%XX%XX per character at worst).
    private const int MaxRawLength = MaxLength * 12;

    public static (string? Id, string? Name) Read(IHeaderDictionary headers) =>
        (Clean(headers[IdHeader], percentEncoded: false), Clean(headers[NameHeader], percentEncoded: true));

    internal static string? Clean(StringValues values, bool percentEncoded)
    {
        if (values.Count == 0 || values[0] is not { Length: > 0 } raw) return null;
        if (raw.Length > MaxRawLength) raw = raw[..MaxRawLength];
        var clean = new StringBuilder(Math.Min(raw.Length, MaxLength));
        // Runes of lenient UTF-8: a broken sequence reads as U+FFFD, so the result is always valid text.
        foreach (var rune in Decode(raw, percentEncoded).EnumerateRunes())
        {
            if (Rune.IsControl(rune) || Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
                continue;
            if (clean.Length + rune.Utf16SequenceLength > MaxLength) break;
            clean.Append(rune.ToString());
        }
        var text = clean.ToString().Trim();
        return text.Length == 0 ? null : text;
    }

    // Kestrel reads these headers as Latin-1 (RouterHostingExtensions), so no byte makes it refuse
    // the request: the value's chars are its bytes. Those (with %XX decoded where the value is
    // percent-encoded) are UTF-8 again, and whatever is not valid UTF-8 becomes U+FFFD.
    private static string Decode(string raw, bool percentEncoded)
    {
        var bytes = raw.All(c => c <= '\xff') ? Encoding.Latin1.GetBytes(raw) : Encoding.UTF8.GetBytes(raw);
        if (!percentEncoded) return Encoding.UTF8.GetString(bytes);
        var decoded = new byte[bytes.Length];
        var n = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == '%' && i + 2 < bytes.Length && Hex(bytes[i + 1]) is { } high && Hex(bytes[i + 2]) is { } low)
            {
                decoded[n++] = (byte)((high << 4) | low);
                i += 2;
            }
            else
            {
                decoded[n++] = bytes[i];
            }
        }
        return Encoding.UTF8.GetString(decoded, 0, n);
    }

    private static int? Hex(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => null,
    };
}

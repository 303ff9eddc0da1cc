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
        raw = Utf8FromLatin1(raw);
        if (percentEncoded && raw.Contains('%', StringComparison.Ordinal)) raw = Uri.UnescapeDataString(raw);
        var clean = new StringBuilder(Math.Min(raw.Length, MaxLength));
        // Runes: a lone surrogate reads as U+FFFD, so the result is always valid UTF-16.
        foreach (var rune in raw.EnumerateRunes())
        {
            if (Rune.IsControl(rune) || Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
                continue;
            if (clean.Length + rune.Utf16SequenceLength > MaxLength) break;
            clean.Append(rune.ToString());
        }
        var text = clean.ToString().Trim();
        return text.Length == 0 ? null : text;
    }

    // Kestrel reads these headers as Latin-1 (RouterHostingExtensions), so no byte makes it refuse the
    // request; bytes that were UTF-8 become text again here, and invalid UTF-8 becomes U+FFFD.
    private static string Utf8FromLatin1(string text)
    {
        foreach (var c in text)
        {
            if (c > '\x7f') return c > '\xff' ? text : Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(text));
        }
        return text;
    }
}

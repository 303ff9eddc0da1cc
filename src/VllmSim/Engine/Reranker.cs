namespace VllmSim.Engine;

/// <summary>
/// Relevance scores a test can reason about: the share of the query's words found in the
/// document, squashed into (0, 1), plus a tiny hash term so ties still have one stable order.
/// </summary>
internal static class Reranker
{
    private static readonly char[] Separators = [' ', '\t', '\n', '\r', '.', ',', ';', ':', '!', '?', '"', '\'', '(', ')'];

    public static double Score(string query, string document)
    {
        var queryWords = Split(query);
        var documentWords = new HashSet<string>(Split(document), StringComparer.OrdinalIgnoreCase);
        var overlap = queryWords.Length == 0 ? 0 : queryWords.Count(documentWords.Contains) / (double)queryWords.Length;
        var jitter = (StableHash.Of(document, StableHash.Of(query)) % 1000) / 1_000_000.0;
        return (0.02 + (0.96 * overlap)) + jitter;
    }

    private static string[] Split(string text) =>
        text.Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

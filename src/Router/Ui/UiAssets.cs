using System.Security.Cryptography;

namespace GpuRouter.Ui;

/// <summary>
/// The status page's three files, embedded in the router's assembly (no build step, nothing
/// fetched from the internet), read once and served from memory with an ETag.
/// </summary>
internal sealed class UiAssets
{
    private readonly Dictionary<string, UiAsset> _files;

    public UiAssets()
    {
        _files = new(StringComparer.Ordinal)
        {
            ["index.html"] = Load("index.html", "text/html; charset=utf-8"),
            ["app.css"] = Load("app.css", "text/css; charset=utf-8"),
            ["app.js"] = Load("app.js", "text/javascript; charset=utf-8"),
        };
    }

    public UiAsset this[string name] => _files[name];

    private static UiAsset Load(string name, string contentType)
    {
        var assembly = typeof(UiAssets).Assembly;
        using var stream = assembly.GetManifestResourceStream($"ui/{name}")
            ?? throw new InvalidOperationException($"The router was built without its status page file ui/{name}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var bytes = copy.ToArray();
        var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]}\"";
        return new UiAsset(bytes, contentType, etag);
    }
}

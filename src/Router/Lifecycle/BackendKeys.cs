using System.Security.Cryptography;
using System.Text;

namespace GpuRouter.Lifecycle;

/// <summary>
/// The API key of each container on another host (its <c>--api-key</c>): reachable from that host's
/// network, it answers only to the router. A key is HMAC-SHA256 of the container's name under a
/// random secret kept in <c>state.dir</c> (created with mode 0600 on first use), so a restarted
/// router knows the keys of the containers it adopts and nothing else has to be stored. Keys are
/// never logged: <see cref="Redact"/> takes them out of anything shown (container log lines,
/// Docker's messages).
/// </summary>
internal sealed class BackendKeys(string stateDir)
{
    public const string SecretFile = "backend-keys.secret";
    private const string Hidden = "[api key hidden]";
    private readonly Lock _lock = new();
    private byte[]? _secret;

    public string KeyFor(string containerName) =>
        "sk-router-" + Convert.ToHexStringLower(HMACSHA256.HashData(Secret(), Encoding.UTF8.GetBytes(containerName)));

    /// <summary>The text with the container's key replaced.</summary>
    public string Redact(string containerName, string text) => text.Replace(KeyFor(containerName), Hidden, StringComparison.Ordinal);

    private byte[] Secret()
    {
        lock (_lock) return _secret ??= LoadOrCreate();
    }

    private byte[] LoadOrCreate()
    {
        var path = Path.Combine(stateDir, SecretFile);
        if (File.Exists(path))
        {
            var existing = File.ReadAllBytes(path);
            if (existing.Length >= 32) return existing;
        }
        Directory.CreateDirectory(stateDir);
        var secret = RandomNumberGenerator.GetBytes(32);
        // Written whole under a temporary name and moved, so a crash never leaves half a secret.
        var temporary = path + ".tmp";
        File.Delete(temporary);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var file = new FileStream(temporary, options))
        {
            file.Write(secret);
        }
        File.Move(temporary, path, overwrite: true);
        return secret;
    }
}

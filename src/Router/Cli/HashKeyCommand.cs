using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace GpuRouter.Cli;

/// <summary>
/// <c>gpu-router hash-key [KEY|-]</c>: a new random key (32 bytes as 64 hex digits, as
/// <c>openssl rand -hex 32</c>) or the given one ("-": read from stdin, out of the shell's
/// history), and its keySha256 for clients[] in router.yaml: the same as
/// <c>printf %s KEY | sha256sum</c>.
/// </summary>
internal static class HashKeyCommand
{
    public static Task<int> RunAsync(CliCall call)
    {
        var given = call.Args.Count > 0 ? call.Args[0] : null;
        if (given == "-") given = call.Context.Input.ReadLine() ?? "";
        if (given is { Length: 0 }) return Task.FromResult(call.UsageError("the key is empty."));
        var key = given ?? RandomNumberGenerator.GetHexString(64, lowercase: true);
        var hash = Hash(key);
        if (call.Json)
        {
            call.Out.WriteLine(JsonSerializer.Serialize(new { key, keySha256 = hash }));
        }
        else
        {
            if (given is null) call.Out.WriteLine($"key:       {key}");
            call.Out.WriteLine($"keySha256: {hash}");
            if (given is null)
                call.Out.WriteLine("Give the key to the client; in router.yaml write keySha256 (or keyEnv with the key in the service's environment).");
        }
        return Task.FromResult(ExitCodes.Ok);
    }

    /// <summary>SHA-256 of the key's UTF-8 bytes in lower-case hex: what clients[].keySha256 holds.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}

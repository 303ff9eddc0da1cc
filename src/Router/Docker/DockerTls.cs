using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Docker.DotNet.Handler.Abstractions;
using Docker.DotNet.X509;

namespace GpuRouter.Docker;

/// <summary>
/// The TLS material of one remote engine, read once at start-up. The client certificate goes to
/// the daemon through the package's <see cref="CertificateCredentials"/>; the daemon's certificate
/// is trusted only when it chains to <see cref="Authorities"/> (never the machine's store, never
/// blindly) and names the host connected to. The package's own loader is not used for the files:
/// it reads them by path and reports a missing one by path alone, so each error here says which
/// key and which file, and what is wrong with it.
/// </summary>
internal sealed class DockerTls : IDisposable
{
    private DockerTls(string caFile, X509Certificate2Collection authorities, X509Certificate2 clientCertificate)
    {
        CaFile = caFile;
        Authorities = authorities;
        ClientCertificate = clientCertificate;
    }

    /// <summary>The CA file, for messages about a daemon certificate it does not vouch for.</summary>
    public string CaFile { get; }

    public X509Certificate2Collection Authorities { get; }

    public X509Certificate2 ClientCertificate { get; }

    /// <summary>Reads the three files; every problem at once, each naming <paramref name="key"/>.ca/.cert/.key and the file.</summary>
    public static DockerTls Load(DockerTlsFiles files, string key)
    {
        var errors = new List<string>();
        var caText = Read(files.Ca, $"{key}.ca", errors);
        var certText = Read(files.Cert, $"{key}.cert", errors);
        var keyText = Read(files.Key, $"{key}.key", errors);

        var authorities = caText is null ? null : ReadAuthorities(caText, files.Ca, $"{key}.ca", errors);
        X509Certificate2? client = null;
        if (certText is not null && Certificate(certText, files.Cert, $"{key}.cert", errors) is { } alone)
        {
            alone.Dispose();
            if (keyText is not null) client = WithKey(certText, keyText, files, key, errors);
        }

        if (errors.Count > 0 || authorities is null || client is null)
        {
            client?.Dispose();
            throw new DockerTlsException(errors);
        }

        return new DockerTls(files.Ca, authorities, client);
    }

    /// <summary>What the package puts on the handler: the client certificate, and the scheme switched to https.</summary>
    public IAuthProvider Credentials() => new CertificateCredentials(ClientCertificate);

    /// <summary>
    /// Chain validation against the configured CA only. With a chain policy of its own the
    /// handler's default validation still checks the host name and the dates; no callback that
    /// could accept what it should not.
    /// </summary>
    public X509ChainPolicy ChainPolicy()
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            // A private CA as dockerd's TLS guide makes it publishes no revocation list.
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.AddRange(Authorities);
        return policy;
    }

    public void Dispose()
    {
        ClientCertificate.Dispose();
        foreach (var authority in Authorities)
        {
            authority.Dispose();
        }
    }

    private static string? Read(string path, string key, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            errors.Add($"{key}: is required");
            return null;
        }

        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            errors.Add($"{key}: {path}: no such file");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{key}: {path}: cannot be read ({e.Message})");
        }

        return null;
    }

    private static X509Certificate2Collection? ReadAuthorities(string text, string path, string key, List<string> errors)
    {
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPem(text);
        }
        catch (CryptographicException e)
        {
            errors.Add($"{key}: {path}: not a PEM certificate ({e.Message})");
            return null;
        }

        if (authorities.Count == 0)
        {
            errors.Add($"{key}: {path}: holds no certificate (expected -----BEGIN CERTIFICATE-----)");
            return null;
        }

        return authorities;
    }

    private static X509Certificate2? Certificate(string text, string path, string key, List<string> errors)
    {
        try
        {
            return X509Certificate2.CreateFromPem(text);
        }
        catch (CryptographicException e)
        {
            errors.Add($"{key}: {path}: not a PEM certificate ({e.Message})");
            return null;
        }
    }

    private static X509Certificate2? WithKey(string certText, string keyText, DockerTlsFiles files, string key, List<string> errors)
    {
        try
        {
            return X509Certificate2.CreateFromPem(certText, keyText);
        }
        catch (ArgumentException e)
        {
            // .NET's check that the key's public half is the certificate's.
            errors.Add($"{key}.key: {files.Key}: not the PEM private key of {files.Cert} ({e.Message})");
            return null;
        }
        catch (CryptographicException e)
        {
            errors.Add($"{key}.key: {files.Key}: holds no PEM private key of the certificate's algorithm ({e.Message})");
            return null;
        }
    }
}

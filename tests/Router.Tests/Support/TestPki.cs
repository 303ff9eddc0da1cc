using System.Globalization;
using GpuRouter.Docker;

namespace Router.Tests;

/// <summary>
/// Certificates made with openssl for one test class, as Docker's TLS guide makes them: a CA, a
/// server certificate for 127.0.0.1 (<c>IP:127.0.0.1</c> in its SAN, serverAuth), a client
/// certificate (clientAuth), and a second CA with its own client certificate that the engine
/// does not trust. EC P-256 keys, valid two days. Everything under one temporary folder.
/// </summary>
internal sealed class TestPki : IDisposable
{
    private TestPki(string dir) => Dir = dir;

    public string Dir { get; }

    public string Ca => File("ca.pem");

    public string ServerCert => File("server-cert.pem");

    public string ServerKey => File("server-key.pem");

    public string ClientCert => File("client-cert.pem");

    public string ClientKey => File("client-key.pem");

    /// <summary>A CA that signed nothing the engine presents.</summary>
    public string OtherCa => File("other-ca.pem");

    /// <summary>A client certificate signed by <see cref="OtherCa"/>: the engine must refuse it.</summary>
    public string StrangerCert => File("stranger-cert.pem");

    public string StrangerKey => File("stranger-key.pem");

    /// <summary>What the router is configured with: the engine's CA and the client's pair.</summary>
    public DockerTlsFiles ClientFiles => new(Ca, ClientCert, ClientKey);

    public static async Task<TestPki> CreateAsync()
    {
        var pki = new TestPki(Directory.CreateTempSubdirectory("gr-pki-").FullName);
        try
        {
            await pki.AuthorityAsync("ca", "gpu-router test CA");
            await pki.AuthorityAsync("other-ca", "someone else's CA");
            await pki.LeafAsync("server", "ca", "127.0.0.1", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
            await pki.LeafAsync("client", "ca", "gpu-router", "extendedKeyUsage=clientAuth\n");
            await pki.LeafAsync("stranger", "other-ca", "gpu-router", "extendedKeyUsage=clientAuth\n");
            return pki;
        }
        catch
        {
            pki.Dispose();
            throw;
        }
    }

    /// <summary>A path in this folder for a file a test writes itself.</summary>
    public string File(string name) => Path.Combine(Dir, name);

    public void Dispose() => Directory.Delete(Dir, recursive: true);

    private Task AuthorityAsync(string name, string subject) => OpenSslAsync(
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
        "-subj", "/CN=" + subject, "-keyout", File(name + "-key.pem"), "-out", File(name + ".pem"),
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");

    private async Task LeafAsync(string name, string authority, string subject, string extensions)
    {
        var csr = File(name + ".csr");
        var ext = File(name + ".ext");
        await System.IO.File.WriteAllTextAsync(ext, extensions + "keyUsage=critical,digitalSignature\n");
        await OpenSslAsync(
            "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-subj", "/CN=" + subject, "-keyout", File(name + "-key.pem"), "-out", csr);
        var serial = "0x" + Random.Shared.NextInt64(1, long.MaxValue).ToString("x", CultureInfo.InvariantCulture);
        await OpenSslAsync(
            "x509", "-req", "-in", csr, "-CA", File(authority + ".pem"), "-CAkey", File(authority + "-key.pem"),
            "-set_serial", serial, "-days", "2", "-extfile", ext, "-out", File(name + "-cert.pem"));
    }

    private static async Task OpenSslAsync(params string[] args)
    {
        var (code, output, error) = await Processes.RunAsync("openssl", args);
        if (code != 0) throw new InvalidOperationException($"openssl {args[0]} failed ({code}): {output}\n{error}");
    }
}

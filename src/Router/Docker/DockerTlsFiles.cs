namespace GpuRouter.Docker;

/// <summary>
/// The PEM files of a TLS engine endpoint, as dockerd's clients take them (<c>--tlscacert</c>,
/// <c>--tlscert</c>, <c>--tlskey</c>): the CA that signed the daemon's certificate (one certificate
/// or a bundle), and the client's certificate and private key.
/// </summary>
public sealed record DockerTlsFiles(string Ca, string Cert, string Key);

using System.Net;
using System.Net.Sockets;
using GpuRouter.Configuration;
using GpuRouter.Docker;
using GpuRouter.Hosts;

namespace GpuRouter.Hosting;

/// <summary>
/// Checks <c>hosts:</c>; adds to the shared error list, each naming its key. The TLS files must
/// exist here (they are read once when the engine's client is built, see <see cref="RemoteDocker"/>);
/// paths on the remote host (<c>hfCache</c>, <c>vllmCache</c>) are taken as written.
/// </summary>
internal sealed class HostsValidator(List<string> errors, string launchDirectory)
{
    private readonly List<string> _declared = [];

    /// <summary>Every name in the section, valid hosts or not: an instance naming one with errors adds none of its own.</summary>
    public IReadOnlyList<string> Declared => _declared;

    public HostsOptions Validate(List<HostSection>? hosts)
    {
        if (hosts is null or { Count: 0 }) return HostsOptions.None;
        var result = new List<GpuHostOptions>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < hosts.Count; i++)
        {
            var key = $"hosts[{i}]";
            var h = hosts[i];
            if (!string.IsNullOrWhiteSpace(h.Name) && !_declared.Contains(h.Name)) _declared.Add(h.Name);
            var ok = Name(h.Name, key, names);
            if (!DockerEndpoint.TryParseTls(h.Docker, $"{key}.docker", out _, out var dockerError)) { errors.Add(dockerError); ok = false; }
            var tls = Tls(h.Tls, key);
            ok &= tls is not null;
            ok &= Address(h, key);
            var (first, last) = PortRange(h.PortRange, key, ref ok);
            var gpus = Gpus(h.Gpus, key, ref ok);
            ok &= Network(h, key);
            var access = h.GpuAccess ?? "nvidia";
            if (access is not ("nvidia" or "none")) { errors.Add($"{key}.gpuAccess: '{access}' is not nvidia or none"); ok = false; }
            ok &= RemotePath(h.HfCache, $"{key}.hfCache") & RemotePath(h.VllmCache, $"{key}.vllmCache");
            long? budget = null;
            if (h.MemoryBudget is { } text)
            {
                if (ByteSize.TryParse(text, out var bytes)) budget = bytes;
                else { errors.Add($"{key}.memoryBudget: '{text}' is not a size (e.g. 200GiB)"); ok = false; }
            }
            if (!ok) continue;
            result.Add(new GpuHostOptions
            {
                Name = h.Name!,
                Docker = h.Docker!.Trim(),
                Tls = tls!,
                Address = h.Address!,
                Bind = h.Bind,
                PortFirst = first,
                PortLast = last,
                Gpus = gpus,
                Network = h.Network,
                NvidiaGpus = access == "nvidia",
                HfCache = h.HfCache,
                VllmCache = h.VllmCache,
                MemoryBudgetBytes = budget,
            });
        }
        return new HostsOptions(result);
    }

    private bool Name(string? name, string key, HashSet<string> names)
    {
        if (string.IsNullOrWhiteSpace(name)) errors.Add($"{key}.name: is required");
        else if (name == HostsOptions.LocalName) errors.Add($"{key}.name: '{name}' stands for this machine's engine (docker:); give the host another name");
        else if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-')) errors.Add($"{key}.name: '{name}' must be letters, digits, '_', '.' or '-'");
        else if (!names.Add(name)) errors.Add($"{key}.name: '{name}' is used by another host");
        else return true;
        return false;
    }

    private DockerTlsFiles? Tls(HostTlsSection? tls, string key)
    {
        if (tls is null)
        {
            errors.Add($"{key}.tls: is required: a remote engine is spoken to only over TLS (ca, cert, key as for dockerd --tlsverify); "
                + "a plain tcp:// endpoint would give anyone who reaches the port root on that host");
            return null;
        }
        var ca = File(tls.Ca, $"{key}.tls.ca");
        var cert = File(tls.Cert, $"{key}.tls.cert");
        var pem = File(tls.Key, $"{key}.tls.key");
        return ca is null || cert is null || pem is null ? null : new DockerTlsFiles(ca, cert, pem);
    }

    private string? File(string? path, string key)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            errors.Add($"{key}: is required");
            return null;
        }
        var full = Path.GetFullPath(path, launchDirectory);
        if (System.IO.File.Exists(full)) return full;
        errors.Add($"{key}: {full}: no such file");
        return null;
    }

    // The router reaches the containers at `address`; `bind` is where they listen or publish on that host.
    private bool Address(HostSection h, string key)
    {
        var ok = true;
        if (string.IsNullOrWhiteSpace(h.Address)) { errors.Add($"{key}.address: is required (where the router reaches that host's containers, e.g. dgx.tailnet)"); ok = false; }
        else if (Uri.CheckHostName(h.Address) == UriHostNameType.Unknown) { errors.Add($"{key}.address: '{h.Address}' is not a host name or IP address"); ok = false; }
        else if (IsThisMachine(h.Address)) { errors.Add($"{key}.address: '{h.Address}' is this machine, not that host: give the name or address the router reaches it at"); ok = false; }
        if (h.Bind is { } bind)
        {
            if (!IPAddress.TryParse(bind, out _)) { errors.Add($"{key}.bind: '{bind}' is not an IP address (an address of that host the containers listen on)"); ok = false; }
            else if (IsThisMachine(bind)) { errors.Add($"{key}.bind: '{bind}' is that host's loopback, which the router cannot reach"); ok = false; }
        }
        return ok;
    }

    private static bool IsThisMachine(string address) =>
        address.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(address, out var ip) && (ip.Equals(IPAddress.Loopback) || ip.Equals(IPAddress.IPv6Loopback)));

    private (int First, int Last) PortRange(string? text, string key, ref bool ok)
    {
        int first = 18000, last = 18999;
        var range = text ?? "18000-18999";
        var parts = range.Split('-');
        if (parts.Length != 2 || !int.TryParse(parts[0], out first) || !int.TryParse(parts[1], out last) || first < 1 || last > 65535 || first > last)
        {
            errors.Add($"{key}.portRange: '{range}' is not FIRST-LAST with 1 <= FIRST <= LAST <= 65535");
            ok = false;
        }
        return (first, last);
    }

    private List<HostGpu> Gpus(List<GpuSection>? gpus, string key, ref bool ok)
    {
        var result = new List<HostGpu>();
        if (gpus is null or { Count: 0 })
        {
            errors.Add($"{key}.gpus: at least one GPU is required (e.g. [ {{ index: 0 }} ]; indices as on that host)");
            ok = false;
            return result;
        }
        for (var i = 0; i < gpus.Count; i++)
        {
            long? memory = null;
            if (gpus[i].Memory is { } text)
            {
                if (ByteSize.TryParse(text, out var bytes) && bytes >= 1L << 30) memory = bytes;
                else { errors.Add($"{key}.gpus[{i}].memory: '{text}' is not a GPU memory size (e.g. 80GiB, as nvidia-smi shows the card)"); ok = false; }
            }
            if (gpus[i].Index is not { } index || index < 0) { errors.Add($"{key}.gpus[{i}].index: is required and must be 0 or more"); ok = false; }
            else if (result.Any(g => g.Index == index)) { errors.Add($"{key}.gpus[{i}].index: GPU {index} is listed twice"); ok = false; }
            else result.Add(new HostGpu(index, gpus[i].Role ?? "general", memory));
        }
        return result;
    }

    private bool Network(HostSection h, string key)
    {
        if (h.Network is null or "host") return true;
        errors.Add($"{key}.network: '{h.Network}' is not host or omitted: a container on a bridge network of that host is reached by its name "
            + "only from inside that network, and the router is not there");
        return false;
    }

    // A path on the remote host means nothing relative to this machine's launch directory.
    private bool RemotePath(string? value, string key)
    {
        if (value is null || value.StartsWith('/') || !value.Contains('/', StringComparison.Ordinal)) return true;
        errors.Add($"{key}: '{value}' is a relative path: give an absolute path on that host, or a volume name");
        return false;
    }
}

namespace Router.Tests.Install;

/// <summary>
/// scripts/install.sh as root, the way it runs on the box, inside a private mount namespace whose
/// /etc, /opt and /usr/local are copies: the user it creates and the files it owns never reach
/// the machine. systemd does not run here, so it stops before systemctl, as it says.
/// </summary>
public sealed class InstallAsRootTests(PublishedRouter published) : IClassFixture<PublishedRouter>, IDisposable
{
    private const string InNamespace = """
        set -euo pipefail
        work=$1 from=$2 script=$3
        cp -a /etc "$work/etc"
        mkdir -p "$work/opt" "$work/usr-local"
        mount --bind "$work/etc" /etc
        mount --bind "$work/opt" /opt
        mount --bind "$work/usr-local" /usr/local
        bash "$script" --from "$from" >"$work/first.log" 2>&1
        bash "$script" --from "$from" >"$work/second.log" 2>&1
        id -nG gpu-router
        getent passwd gpu-router | cut -d: -f6,7
        stat -c '%n %U:%G %a' /etc/gpu-router/env /etc/gpu-router/router.yaml /opt/gpu-router/gpu-router /opt/gpu-router/gpu-router.dll
        readlink /usr/local/bin/gpu-router
        /usr/local/bin/gpu-router hash-key abc
        """;

    private readonly string _work = Directory.CreateTempSubdirectory("install-as-root-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task Install_CreatesTheServiceUserInGroupDocker_AndOwnsTheFilesAsTheUnitExpects()
    {
        var (code, output, error) = await Processes.RunAsync("unshare", "--mount", "--propagation", "private",
            "bash", "-c", InNamespace, "_", _work, published.Folder, Path.Combine(RepoRoot.Path, "scripts", "install.sh"));
        var first = Log("first.log");
        var second = Log("second.log");

        Assert.True(code == 0, $"needs root and mount namespaces (as scripts/test.sh runs): {output}\n{error}\n{first}\n{second}");
        var facts = output.Split('\n');
        Assert.Equal(["gpu-router", "docker"], facts[0].Split(' '));
        Assert.Equal("/var/lib/gpu-router:/usr/sbin/nologin", facts[1]);
        Assert.Equal("/etc/gpu-router/env root:gpu-router 640", facts[2]);
        Assert.Equal("/etc/gpu-router/router.yaml root:root 644", facts[3]);
        Assert.Equal("/opt/gpu-router/gpu-router root:root 755", facts[4]);
        Assert.Equal("/opt/gpu-router/gpu-router.dll root:root 644", facts[5]);
        Assert.Equal("/opt/gpu-router/gpu-router", facts[6]);
        Assert.Equal($"keySha256: {TestKeys.Hash("abc")}", facts[7]);
        Assert.Contains("created the system user gpu-router", first, StringComparison.Ordinal);
        Assert.Contains("added gpu-router to the group docker", first, StringComparison.Ordinal);
        Assert.Contains("systemd does not run here", first, StringComparison.Ordinal);
        Assert.DoesNotMatch("created|added|installed|generated|linked", second);
    }

    private string Log(string name) => File.Exists(Path.Combine(_work, name)) ? File.ReadAllText(Path.Combine(_work, name)) : "";
}

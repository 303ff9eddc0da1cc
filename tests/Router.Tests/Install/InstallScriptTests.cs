using System.Security.Cryptography;
using System.Text;
using System.Runtime.Versioning;
using System.Text.RegularExpressions;

namespace Router.Tests.Install;

/// <summary>scripts/install.sh staged with --root: what it installs, that a second run changes nothing, what --uninstall keeps.</summary>
[UnsupportedOSPlatform("windows")] // file modes; install.sh is for Linux
public sealed partial class InstallScriptTests(PublishedRouter published) : IClassFixture<PublishedRouter>, IDisposable
{
    private static readonly string Script = Path.Combine(RepoRoot.Path, "scripts", "install.sh");
    private readonly string _root = Directory.CreateTempSubdirectory("install-root-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Etc(string file) => Path.Combine(_root, "etc", "gpu-router", file);

    private Task<(int Code, string Output, string Error)> InstallAsync(params string[] extra) =>
        Processes.RunAsync("bash", [Script, "--root", _root, .. extra]);

    private Task<(int Code, string Output, string Error)> InstallFromAsync() => InstallAsync("--from", published.Folder);

    [Fact]
    public async Task Install_StagesEveryFile_AndASecondRunChangesNothing()
    {
        var first = await InstallFromAsync();
        Assert.True(first.Code == 0, first.Output + first.Error);
        var listing = Listing();
        var second = await InstallFromAsync();

        Assert.True(second.Code == 0, second.Error);
        Assert.Equal(listing, Listing());
        Assert.DoesNotMatch("installed|created|generated|linked", second.Output);
        Assert.True(File.Exists(Path.Combine(_root, "opt", "gpu-router", "gpu-router.dll")));
        Assert.Equal("/opt/gpu-router/gpu-router", new FileInfo(Path.Combine(_root, "usr", "local", "bin", "gpu-router")).LinkTarget);
        Assert.Equal(File.ReadAllText(Path.Combine(RepoRoot.Path, "config", "router.yaml")), File.ReadAllText(Etc("router.yaml")));
        Assert.Equal(File.ReadAllText(Path.Combine(RepoRoot.Path, "systemd", "gpu-router.service")),
            File.ReadAllText(Path.Combine(_root, "etc", "systemd", "system", "gpu-router.service")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(Etc("env")));
        var keys = Keys();
        Assert.Equal(3, keys.Values.Distinct().Count());
        Assert.All(keys.Values, k => Assert.Matches("^[0-9a-f]{64}$", k));
        Assert.Contains(keys["WEBUI_API_KEY"], first.Output, StringComparison.Ordinal);
        Assert.Contains(keys["N8N_API_KEY"], first.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(keys["ROUTER_ADMIN_KEY"], first.Output, StringComparison.Ordinal);
        Assert.Contains("status page: http://127.0.0.1:8000/ui", first.Output, StringComparison.Ordinal);
        Assert.Contains("router.yaml: valid: 6 models, 9 instances, 3 clients, 2 GPUs.", first.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_KeepsTheOperatorsConfigAndKeys_AndFillsOnlyAnEmptyKey()
    {
        Assert.Equal(0, (await InstallFromAsync()).Code);
        var edited = File.ReadAllText(Etc("router.yaml")).Replace("127.0.0.1:8000", "127.0.0.1:8100", StringComparison.Ordinal);
        File.WriteAllText(Etc("router.yaml"), edited);
        var keys = Keys();
        File.WriteAllText(Etc("env"), File.ReadAllText(Etc("env"))
            .Replace($"WEBUI_API_KEY={keys["WEBUI_API_KEY"]}", "WEBUI_API_KEY=chosen-by-the-operator", StringComparison.Ordinal)
            .Replace($"N8N_API_KEY={keys["N8N_API_KEY"]}", "N8N_API_KEY=", StringComparison.Ordinal));

        var again = await InstallFromAsync();

        Assert.True(again.Code == 0, again.Error);
        Assert.Equal(edited, File.ReadAllText(Etc("router.yaml")));
        Assert.Contains("kept your", again.Output, StringComparison.Ordinal);
        Assert.Contains("status page: http://127.0.0.1:8100/ui", again.Output, StringComparison.Ordinal);
        var now = Keys();
        Assert.Equal("chosen-by-the-operator", now["WEBUI_API_KEY"]);
        Assert.Equal(keys["ROUTER_ADMIN_KEY"], now["ROUTER_ADMIN_KEY"]);
        Assert.Matches("^[0-9a-f]{64}$", now["N8N_API_KEY"]);
        Assert.NotEqual(keys["N8N_API_KEY"], now["N8N_API_KEY"]);
    }

    [Fact]
    public async Task Uninstall_RemovesTheBinaryUnitAndLink_KeepsConfigAndKeys()
    {
        Assert.Equal(0, (await InstallFromAsync()).Code);
        var config = File.ReadAllText(Etc("router.yaml"));
        var env = File.ReadAllText(Etc("env"));

        var removed = await InstallAsync("--uninstall");

        Assert.True(removed.Code == 0, removed.Error);
        Assert.False(Directory.Exists(Path.Combine(_root, "opt", "gpu-router")));
        Assert.False(File.Exists(Path.Combine(_root, "etc", "systemd", "system", "gpu-router.service")));
        Assert.Null(new FileInfo(Path.Combine(_root, "usr", "local", "bin", "gpu-router")).LinkTarget);
        Assert.Equal(config, File.ReadAllText(Etc("router.yaml")));
        Assert.Equal(env, File.ReadAllText(Etc("env")));
        Assert.Equal(0, (await InstallAsync("--uninstall")).Code);
    }

    [Fact]
    public async Task Install_AnInvalidConfigOfTheOperator_StopsWithItsErrors_ExitTwo()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Etc("router.yaml"))!);
        File.WriteAllText(Etc("router.yaml"), "routing: { queueTimeout: soon }\n");

        var result = await InstallFromAsync();

        Assert.Equal(2, result.Code);
        Assert.Contains("routing.queueTimeout", result.Error, StringComparison.Ordinal);
        Assert.Contains("router.yaml is invalid: fix it, then run scripts/install.sh again", result.Error, StringComparison.Ordinal);
        Assert.Equal("routing: { queueTimeout: soon }\n", File.ReadAllText(Etc("router.yaml")));
    }

    [Theory]
    [InlineData(new[] { "--bogus" }, 2, "unknown argument '--bogus'")]
    [InlineData(new[] { "--from" }, 2, "usage: scripts/install.sh")]
    [InlineData(new[] { "--from", "/nonexistent-publish" }, 1, "/nonexistent-publish/gpu-router is missing")]
    public async Task Install_WrongArguments_SayWhy(string[] args, int code, string message)
    {
        var result = await InstallAsync(args);

        Assert.Equal(code, result.Code);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }

    private Dictionary<string, string> Keys() =>
        File.ReadAllLines(Etc("env"))
            .Select(l => KeyLine().Match(l)).Where(m => m.Success)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

    // Every path under the root with its type, mode, link target and content hash: what a second run must not change.
    private string Listing()
    {
        var lines = new StringBuilder();
        foreach (var path in Directory.EnumerateFileSystemEntries(_root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var info = new FileInfo(path);
            // A link's target is outside the root (/opt/...): its own text is what counts.
            var what = info.LinkTarget is { } target ? "-> " + target
                : info.Attributes.HasFlag(FileAttributes.Directory) ? File.GetUnixFileMode(path).ToString()
                : $"{File.GetUnixFileMode(path)} {Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)))}";
            lines.AppendLine($"{Path.GetRelativePath(_root, path)} {what}");
        }
        return lines.ToString();
    }

    [GeneratedRegex("^(WEBUI_API_KEY|N8N_API_KEY|ROUTER_ADMIN_KEY)=(.*)$")]
    private static partial Regex KeyLine();
}

using Docker.DotNet.Models;
using GpuRouter.Docker;
using Router.Tests.Fixtures;

namespace Router.Tests.Docker;

/// <summary>
/// Creates the test app's containers under unique names and a label unique to one test, and
/// removes every one of them at the end, whatever the test did.
/// </summary>
internal sealed class TestContainers(IDockerClient client) : IAsyncDisposable
{
    public const string RunLabel = "gpu-router-test.docker.run";
    private readonly List<string> _names = [];

    /// <summary>This test's value of <see cref="RunLabel"/>: no other test's containers carry it.</summary>
    public string RunId { get; } = Guid.NewGuid().ToString("N")[..12];

    public IReadOnlyDictionary<string, string?> RunFilter => new Dictionary<string, string?> { [RunLabel] = RunId };

    public string NewName() => $"gpu-router-test-docker-{RunId}-{_names.Count}";

    /// <summary>Creates (not starts) a container running the test app with <paramref name="script"/> as its argv.</summary>
    public Task<(string Id, string Name)> CreateAsync(
        IReadOnlyList<string> script, bool tty = false, IReadOnlyDictionary<string, string>? extraLabels = null) =>
        CreateAsync(Spec(script, extraLabels ?? new Dictionary<string, string>(), tty));

    /// <summary>Creates a container from <paramref name="spec"/> under a new name, adding this test's run label.</summary>
    public async Task<(string Id, string Name)> CreateAsync(CreateContainerParameters spec)
    {
        var name = NewName();
        _names.Add(name);
        spec.Name = name;
        spec.Labels = new Dictionary<string, string>(spec.Labels ?? new Dictionary<string, string>()) { [RunLabel] = RunId };
        var id = await client.CreateContainerAsync(spec, CancellationToken.None);
        return (id, name);
    }

    public Task<(string Id, string Name)> RunAsync(IReadOnlyList<string> script, bool tty = false) =>
        RunAsync(Spec(script, new Dictionary<string, string>(), tty));

    public async Task<(string Id, string Name)> RunAsync(CreateContainerParameters spec)
    {
        var container = await CreateAsync(spec);
        await client.StartContainerAsync(container.Id, CancellationToken.None);
        return container;
    }

    public static CreateContainerParameters Spec(IReadOnlyList<string> script, IReadOnlyDictionary<string, string> labels, bool tty = false) =>
        new()
        {
            Image = DockerTestImage.Tag,
            Cmd = [.. script],
            Labels = new Dictionary<string, string>(labels),
            Tty = tty,
            // The test engine runs without a default bridge; the app needs no network anyway.
            HostConfig = new HostConfig { NetworkMode = "none", RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.No } },
        };

    public async ValueTask DisposeAsync()
    {
        foreach (var name in _names)
        {
            await client.RemoveContainerAsync(name, force: true, ignoreMissing: true, CancellationToken.None);
        }
    }
}

using GpuRouter.Gpu;

namespace Router.Tests.Gpu;

/// <summary>
/// A private copy of the fake libnvidia-ml (tests/native/fake_nvml.c) in a folder of its own,
/// with its script beside it. The fake reads a script beside itself before FAKE_NVML_SCRIPT, and
/// each copy is a separate library with its own state, so tests run in parallel without sharing
/// an environment variable or an NVML init count.
/// </summary>
internal sealed class FakeNvml : IDisposable
{
    private readonly string directory =
        Path.Combine(Path.GetTempPath(), "fake-nvml-" + Guid.NewGuid().ToString("N"));

    public FakeNvml(params string[] script)
    {
        var built = Path.Combine(AppContext.BaseDirectory, "native", "libnvidia-ml.so.1");
        if (!File.Exists(built))
        {
            throw new InvalidOperationException(
                $"{built} is missing: the BuildFakeNvml target of Router.Tests.csproj compiles tests/native/fake_nvml.c with gcc.");
        }

        Directory.CreateDirectory(directory);
        File.Copy(built, LibraryPath);
        Write(script);
    }

    public string LibraryPath => Path.Combine(directory, "libnvidia-ml.so.1");

    public NvmlOptions Options => new() { Library = LibraryPath };

    /// <summary>Replaces the script atomically, so a poll never reads half of it.</summary>
    public void Write(params string[] lines)
    {
        var script = Path.Combine(directory, "fake_nvml.script");
        var staging = script + ".tmp";
        File.WriteAllLines(staging, lines);
        File.Move(staging, script, overwrite: true);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);
}

using GpuRouter.Lifecycle;

namespace Router.Tests;

/// <summary>
/// Ten loopback ports for one test's router (its <c>docker.portRange</c>): each was free when the
/// block was handed out, and the block stays reserved against every other test process on the
/// machine (other work trees' runs included) by a lock file held until disposal. The lock is
/// flock(2) underneath, so a test process that dies gives its blocks back.
/// </summary>
internal sealed class PortBlock : IDisposable
{
    // 19000-20999: below the simulator tests' ports (21000-30000) and the kernel's ephemeral range.
    private const int First = 19000;
    private const int Blocks = 200;
    private const int Size = 10;
    private static readonly string LockDirectory = Path.Combine(Path.GetTempPath(), "gpu-router-test-ports");
    private readonly FileStream _lock;

    private PortBlock(FileStream held, int first)
    {
        _lock = held;
        FirstPort = first;
    }

    public int FirstPort { get; }

    public int LastPort => FirstPort + Size - 1;

    public string Range => $"{FirstPort}-{LastPort}";

    public static PortBlock Take()
    {
        Directory.CreateDirectory(LockDirectory);
        var start = Random.Shared.Next(Blocks);
        for (var i = 0; i < Blocks; i++)
        {
            var first = First + ((start + i) % Blocks * Size);
            if (TryLock(Path.Combine(LockDirectory, $"{first}.lock")) is not { } held) continue;
            if (Enumerable.Range(first, Size).All(PortAllocator.IsFree)) return new PortBlock(held, first);
            held.Dispose();
        }
        throw new InvalidOperationException($"No block of {Size} free loopback ports between {First} and {First + (Blocks * Size) - 1}.");
    }

    public void Dispose() => _lock.Dispose();

    // FileShare.None is an exclusive flock on Linux: a second process (or this one) cannot open it.
    private static FileStream? TryLock(string path)
    {
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }
}

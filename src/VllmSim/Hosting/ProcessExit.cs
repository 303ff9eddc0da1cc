using System.Runtime.InteropServices;

namespace VllmSim.Hosting;

/// <summary>
/// Ends the process at once with a code, as a crashed vLLM does: no shutdown handlers, no
/// graceful drain. Environment.Exit would run the host's shutdown and close streams politely.
/// </summary>
internal static partial class ProcessExit
{
    public static void Now(int exitCode)
    {
        Console.Out.Flush();
        Console.Error.Flush();
        if (OperatingSystem.IsLinux())
        {
            ExitImmediately(exitCode);
        }
        Environment.Exit(exitCode);
    }

    // The soname, not "libc": an image FROM scratch has no libc.so linker script to resolve that.
    [LibraryImport("libc.so.6", EntryPoint = "_exit")]
    private static partial void ExitImmediately(int status);
}

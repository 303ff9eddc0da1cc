using System.Diagnostics;

namespace Router.Tests;

/// <summary>Runs a command line tool to its end and hands back its exit code, stdout and stderr (trimmed).</summary>
internal static class Processes
{
    public static Task<(int Code, string Output, string Error)> RunAsync(string file, params string[] args) =>
        RunAsync(Info(file, args));

    /// <summary>The start info for <paramref name="file"/> with its arguments, to set a working directory or environment on.</summary>
    public static ProcessStartInfo Info(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        return info;
    }

    public static async Task<(int Code, string Output, string Error)> RunAsync(ProcessStartInfo info)
    {
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{info.FileName} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, (await output).Trim(), (await error).Trim());
    }
}

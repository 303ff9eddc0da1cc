using Microsoft.Extensions.Logging;

namespace VllmSim.Hosting;

/// <summary>
/// The simulated CUDA out-of-memory death. It logs what a dying vLLM logs, the OOM line last,
/// then hands the exit code to <see cref="OnCrash"/>: the program ends the process there; an
/// in-process server aborts its connections and stops listening instead.
/// </summary>
internal sealed class CrashController(SimOptions options, SimStats stats, LogSink sink, ILogger<CrashController> logger)
{
    public const string OutOfMemoryLine =
        "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 23.57 GiB "
        + "of which 1.06 GiB is free. Including non-PyTorch memory, this process has 22.50 GiB memory in use. Of the "
        + "allocated memory 21.86 GiB is allocated by PyTorch, and 312.45 MiB is reserved by PyTorch but unallocated.";

    private int crashed;

    /// <summary>Receives the exit code once the crash is logged; set by <see cref="SimServer"/>.</summary>
    public Action<int> OnCrash { get; set; } = _ => { };

    public bool HasCrashed => Volatile.Read(ref crashed) == 1;

    /// <summary>
    /// Dies: from now on requests are refused and the OOM line is the last line out; the server
    /// goes down once <paramref name="victimClosed"/> fires (at once when it cannot), so the
    /// victim's connection is closed by then, as a dead process's socket is, not reset.
    /// </summary>
    public void Crash(CancellationToken victimClosed)
    {
        if (Interlocked.Exchange(ref crashed, 1) == 1)
        {
            return;
        }
        SimLog.EngineDead(logger, stats.RequestsStarted, options.ExitCode);
        sink.WriteRaw(OutOfMemoryLine);
        if (victimClosed.CanBeCanceled)
        {
            victimClosed.Register(() => OnCrash(options.ExitCode));
        }
        else
        {
            OnCrash(options.ExitCode);
        }
    }
}

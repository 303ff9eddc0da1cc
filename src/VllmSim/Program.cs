using System.Runtime.InteropServices;
using VllmSim.Hosting;
using VllmSim.Options;

namespace VllmSim;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["--help"] or ["-h"])
        {
            Console.WriteLine(SimUsage.Text);
            return 0;
        }

        SimOptions options;
        try
        {
            options = SimOptions.Parse(args);
        }
        catch (UnrecognizedArgumentsException e)
        {
            await Console.Error.WriteLineAsync(e.VllmText);
            return 2;
        }
        catch (ArgumentException e)
        {
            // As argparse: the usage, then the error as the last line (what a log tail shows).
            await Console.Error.WriteLineAsync($"{SimUsage.Text}{Environment.NewLine}vllm-sim: error: {e.Message}");
            return 2;
        }

        // Signals are ours from the start, so SIGTERM also ends the loading phase at once.
        using var stop = new CancellationTokenSource();
        void OnSignal(PosixSignalContext signal)
        {
            signal.Cancel = true;
            stop.Cancel();
        }
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);

        SimServer server;
        try
        {
            server = await SimServer.StartAsync(options, defaultHost: "0.0.0.0", ProcessExit.Now, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 0;
        }
        catch (SimStartFailedException e)
        {
            return e.ExitCode;
        }
        catch (IOException e)
        {
            await Console.Error.WriteLineAsync($"vllm-sim: error: cannot listen on port {options.Port}: {e.Message}");
            return 1;
        }

        await using (server)
        {
            await WaitAsync(stop.Token);
        }
        return 0;
    }

    private static async Task WaitAsync(CancellationToken stop)
    {
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (stop.Register(() => stopped.TrySetResult()))
        {
            await stopped.Task;
        }
    }
}

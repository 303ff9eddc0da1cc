using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VllmSim.Hosting;
using VllmSim.Memory;

namespace VllmSim;

/// <summary>
/// A running simulator on a real socket. In-process (the router's tests) a simulated crash
/// does not end the test host: the server cuts its connections and stops listening instead,
/// and <see cref="Exited"/> reports the exit code the process would have had.
/// </summary>
public sealed class SimServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly TaskCompletionSource<int> exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock stopGate = new();
    private Task? stopping;

    private SimServer(WebApplication app, SimOptions options, SimStats stats, Uri baseAddress)
    {
        this.app = app;
        Options = options;
        Stats = stats;
        BaseAddress = baseAddress;
    }

    /// <summary>The root URL, e.g. http://127.0.0.1:41234/ (loopback when bound to all interfaces).</summary>
    public Uri BaseAddress { get; }

    /// <summary>The port actually bound (the free port chosen when <see cref="SimOptions.Port"/> was 0).</summary>
    public int Port => BaseAddress.Port;

    public SimStats Stats { get; }

    public SimOptions Options { get; }

    /// <summary>Completes with the exit code when the simulated process ends: a crash's code, or 0 when stopped.</summary>
    public Task<int> Exited => exited.Task;

    /// <summary>
    /// Waits --load-seconds with the port closed (as vLLM loading weights), then listens on
    /// <see cref="SimOptions.Host"/> (default 127.0.0.1) and <see cref="SimOptions.Port"/>.
    /// Throws <see cref="ArgumentException"/> for invalid options.
    /// </summary>
    public static Task<SimServer> StartAsync(SimOptions options, CancellationToken ct = default) =>
        StartAsync(options, "127.0.0.1", exitProcess: null, ct);

    /// <param name="options">What to simulate.</param>
    /// <param name="defaultHost">The interface when the options name none.</param>
    /// <param name="exitProcess">Ends the process on a crash; null for in-process behaviour.</param>
    /// <param name="ct">Cancels loading and start-up.</param>
    internal static async Task<SimServer> StartAsync(SimOptions options, string defaultHost, Action<int>? exitProcess, CancellationToken ct)
    {
        options.Validate();
        var time = TimeProvider.System;
        var sink = new LogSink(options.LogOutput ?? Console.Out, time);
        var startLog = new SimLoggerProvider(sink).CreateLogger(nameof(SimServer));
        if (options.ApiKey is { } apiKey)
        {
            Log(options, LogLevel.Information, () => SimLog.NonDefaultArgs(startLog, apiKey));
        }
        if (options.ModelFromFlag)
        {
            Log(options, LogLevel.Warning, () => SimLog.ModelFlagDeprecated(startLog));
        }
        foreach (var flag in options.IgnoredFlags)
        {
            Log(options, LogLevel.Warning, () => SimLog.IgnoredFlag(startLog, flag));
        }
        // vLLM validates the tool flags before it loads anything.
        if (Tools.ToolParsers.StartupError(options) is { } toolError)
        {
            sink.WriteRaw(toolError);
            throw new SimStartFailedException(1, toolError);
        }
        if (options.ServerDevMode)
        {
            Log(options, LogLevel.Warning, () => SimLog.DevModeOn(startLog));
        }
        Log(options, LogLevel.Information, () => SimLog.Loading(startLog, options.Model, options.LoadSeconds));
        if (options.LoadSeconds > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds(options.LoadSeconds), time, ct);
        }
        // vLLM profiles memory once the weights are loaded; a share too small ends the start there.
        if (SimMemoryProfile.Run(options, Environment(options)) is { } profile)
        {
            Log(options, LogLevel.Information, () => SimLog.MemoryProfile(startLog, profile.Summary));
            if (profile.Fails)
            {
                SimLog.EngineCoreFailed(startLog);
                foreach (var line in profile.ErrorLines.Append(EngineFailedLine))
                {
                    sink.WriteRaw(line);
                }
                throw new SimStartFailedException(1, profile.ErrorLines[0]);
            }
        }

        var endpoint = new IPEndPoint(Address(options.Host ?? defaultHost), options.Port);
        var stats = new SimStats();
        var app = SimApp.Build(options, endpoint, stats, sink, time);
        try
        {
            await app.StartAsync(ct);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var reachable = endpoint.Address.Equals(IPAddress.Any) || endpoint.Address.Equals(IPAddress.IPv6Any)
            ? IPAddress.Loopback
            : endpoint.Address;
        var server = new SimServer(app, options, stats, new Uri($"http://{new IPEndPoint(reachable, bound.Port)}/"));
        app.Services.GetRequiredService<CrashController>().OnCrash =
            exitProcess ?? (code => _ = Task.Run(() => server.CrashAsync(code)));
        // The address as bound (http://0.0.0.0:8000 in a container), as vLLM prints it.
        Log(options, LogLevel.Information, () => SimLog.Listening(startLog, bound.GetLeftPart(UriPartial.Authority), string.Join(", ", options.EffectiveModelNames)));
        return server;
    }

    /// <summary>Stops accepting, ends open requests (streams are cut, as by a dying server) and closes the port.</summary>
    public Task StopAsync() => StopOnceAsync(SimApp.ShutdownTimeout, exitCode: 0);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await app.DisposeAsync();
    }

    // A crash gives open connections no grace at all.
    private Task CrashAsync(int exitCode) => StopOnceAsync(TimeSpan.Zero, exitCode);

    private Task StopOnceAsync(TimeSpan grace, int exitCode)
    {
        lock (stopGate)
        {
            return stopping ??= StopCoreAsync(grace, exitCode);
        }
    }

    private async Task StopCoreAsync(TimeSpan grace, int exitCode)
    {
        using var deadline = new CancellationTokenSource(grace);
        try
        {
            await app.StopAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            // The grace period ended; Kestrel has aborted what was still open.
        }
        exited.TrySetResult(exitCode);
    }

    /// <summary>The last line vLLM's API server writes when its engine core did not start.</summary>
    public const string EngineFailedLine = "RuntimeError: Engine core initialization failed. See root cause above. Failed core proc(s): {}";

    private static Func<string, string?> Environment(SimOptions options) =>
        options.HuggingFaceHome is { } home ? name => name == "HF_HOME" ? home : null : System.Environment.GetEnvironmentVariable;

    private static IPAddress Address(string host) => host switch
    {
        "" => IPAddress.Any,
        "localhost" => IPAddress.Loopback,
        _ => IPAddress.Parse(host),
    };

    private static void Log(SimOptions options, LogLevel level, Action write)
    {
        if (level >= options.LogLevel)
        {
            write();
        }
    }
}

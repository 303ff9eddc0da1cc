using GpuRouter.Capacity;
using GpuRouter.Gpu;
using GpuRouter.Hosts;
using GpuRouter.Http;
using GpuRouter.Instances;
using GpuRouter.Lifecycle;
using GpuRouter.Routing;
using GpuRouter.Schedule;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Serilog;
using Serilog.Events;
using Serilog.Extensions.Logging;

namespace GpuRouter.Hosting;

public static partial class RouterHostingExtensions
{
    /// <summary>
    /// Reads --config (or ROUTER_CONFIG), validates it with the start-up checks (<see cref="StartupChecks"/>) and gives each
    /// feature its own options. The whole config is not registered: no feature takes it. Docker's,
    /// NVML's and usage's options are registered by AddDocker, AddGpuTelemetry and AddUsage.
    /// </summary>
    internal static RouterConfig AddRouterConfig(this WebApplicationBuilder builder)
    {
        var path = builder.Configuration["config"] ?? Environment.GetEnvironmentVariable("ROUTER_CONFIG") ?? "config/router.yaml";
        var config = ConfigLoader.LoadFile(path, checks: StartupChecks);
        builder.Services.AddSingleton(config.Server);
        builder.Services.AddSingleton(new GpuOptions(config.Gpus));
        builder.Services.AddSingleton(new ModelsOptions(config.Models));
        builder.Services.AddSingleton(config.Routing);
        builder.Services.AddSingleton(config.Lifecycle);
        builder.Services.AddSingleton(config.Schedule);
        builder.Services.AddSingleton(config.Hosts);
        builder.Services.AddSingleton(sp => new HostStatusBoard(config.Docker.Endpoint, config.Hosts, sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<Readiness>();
        builder.Services.AddSingleton<IReadinessConditions>(sp => sp.GetRequiredService<Readiness>());
        return config;
    }

    private static readonly ModelMemoryCheck MemoryCheck = new(NvmlTotals.Read);

    /// <summary>
    /// The checks beyond the file that start-up (and check-config) run: the model memory check over
    /// NVML's totals, and the remote hosts' TLS files read as their engine clients will read them.
    /// </summary>
    internal static IReadOnlyList<ConfigCheck> StartupChecks { get; } =
    [
        config => MemoryCheck.Check(new ModelsOptions(config.Models), new GpuOptions(config.Gpus), config.Docker, config.Nvml),
        RemoteEnginesCheck.Check,
    ];

    /// <summary>One line per note of the config (a check skipped, an instance's memory arithmetic).</summary>
    internal static void LogConfigNotes(this WebApplication app, RouterConfig config)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("GpuRouter.Configuration");
        foreach (var note in config.Notes) LogNote(logger, note);
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Config: {Note}")]
    private static partial void LogNote(Microsoft.Extensions.Logging.ILogger logger, string note);

    /// <summary>Kestrel listens on server.urls unless --urls was given; the body limit is the config's.</summary>
    public static void ConfigureRouterServer(this WebApplicationBuilder builder, ServerOptions server)
    {
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
            builder.WebHost.UseUrls([.. server.Urls]);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = server.MaxRequestBodyBytes;
            // A client that trickles its body (or announces more than it sends and goes silent)
            // would hold a connection and a buffer for ever: Kestrel ends its read with a 408.
            k.Limits.MinRequestBodyDataRate = server.MinRequestBodyRate > 0
                ? new Microsoft.AspNetCore.Server.Kestrel.Core.MinDataRate(server.MinRequestBodyRate, server.RequestBodyGracePeriod)
                : null;
            k.AddServerHeader = false;
            // Open WebUI's user headers are read byte for byte (Latin-1 never fails), so a name sent
            // as raw or broken UTF-8 is cleaned by the router instead of failing the whole request.
            k.RequestHeaderEncodingSelector = name =>
                name.StartsWith("X-OpenWebUI-", StringComparison.OrdinalIgnoreCase) ? System.Text.Encoding.Latin1 : null;
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        // With the runtime's inline socket completions on (an operator opts in; the systemd unit sets 0),
        // Kestrel runs the request on the thread that completed its read and sends on the thread
        // that flushes, instead of handing each step to a thread-pool worker and an I/O queue
        // thread: on 2 cores a 64-token stream costs about a quarter less CPU and a single
        // connection's chat about half (BENCHMARKS.md). Kestrel's half alone measured worse, so it
        // follows the variable. Nothing on the request path blocks a thread (logging excepted:
        // one synchronous console write per request at Information, measured with it).
        var inline = Environment.GetEnvironmentVariable(InlineCompletionsVariable) == "1";
        builder.Services.Configure<SocketTransportOptions>(o => o.UnsafePreferInlineScheduling = inline);
    }

    /// <summary>The runtime reads it when the first socket is created; the systemd unit sets it (0 by default).</summary>
    public const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Serilog as the logging provider: JSON lines on the console, optionally a rolling file.</summary>
    public static void UseRouterLogging(this WebApplicationBuilder builder, LoggingOptions logging)
    {
        var level = Enum.Parse<LogEventLevel>(logging.Level, ignoreCase: true);
        var config = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .MinimumLevel.Override("System.Net.Http", LogEventLevel.Warning)
            .MinimumLevel.Override("Quartz", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .WriteTo.Console(JsonLogFormat.Create());
        if (logging.File is { } file)
            config = config.WriteTo.File(JsonLogFormat.Create(), file, rollingInterval: RollingInterval.Day, retainedFileCountLimit: 14);
        builder.Logging.ClearProviders();
        // The web host turns on trace, span and parent ids as a scope of every log line; the
        // router exports no traces, so they would only add three fields and their cost per line.
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.None);
        builder.Logging.AddSerilog(config.CreateLogger(), dispose: true);
        if (level > LogEventLevel.Information)
        {
            // Without the per-request line, nothing needs ASP.NET Core's request scope and trace ids;
            // while its logger is on, hosting starts an Activity and a log scope for every request
            // anyway (about a fifth of what a proxied request allocates). A rule for the Serilog
            // provider itself: AddSerilog lets every category through at that level.
            builder.Logging.AddFilter<SerilogLoggerProvider>("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        }
    }
}

using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VllmSim.Endpoints;
using VllmSim.Engine;
using VllmSim.Generation;
using VllmSim.Metrics;

namespace VllmSim.Hosting;

/// <summary>Builds the simulator's web application: Kestrel, logging, services and routes.</summary>
internal static class SimApp
{
    /// <summary>Below the 2 s a router (or docker stop) allows for a clean exit.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(1.5);

    public static WebApplication Build(SimOptions options, IPEndPoint endpoint, SimStats stats, LogSink sink, TimeProvider time)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = "vllm-sim",
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        // Configured by flags only: no appsettings files to watch, no ASPNETCORE_URLS to obey.
        builder.Configuration.Sources.Clear();

        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new SimLoggerProvider(sink));
        builder.Logging.SetMinimumLevel(options.LogLevel);
        if (options.LogLevel > LogLevel.Debug)
        {
            // ASP.NET Core logs every request at Information; that is noise for a simulator.
            builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Tokens may come seconds apart on purpose; Kestrel must not take that for a slow client.
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.Listen(endpoint, listen => listen.Protocols = HttpProtocols.Http1);
        });

        var services = builder.Services;
        services.Configure<HostOptions>(host => host.ShutdownTimeout = ShutdownTimeout);
        services.AddSingleton<IHostLifetime, SimHostLifetime>();
        services.AddSingleton(options);
        services.AddSingleton(stats);
        services.AddSingleton(sink);
        services.AddSingleton(time);
        services.AddSingleton<ServedModels>();
        services.AddSingleton<SleepState>();
        services.AddSingleton<Scheduler>();
        services.AddSingleton<Pacer>();
        services.AddSingleton<FaultInjector>();
        services.AddSingleton<SimMetrics>();
        services.AddSingleton<CrashController>();
        services.AddSingleton<GenerationRunner>();
        services.AddSingleton<InfoEndpoints>();
        services.AddSingleton<ChatEndpoint>();
        services.AddSingleton<CompletionsEndpoint>();
        services.AddSingleton<ResponsesEndpoint>();
        services.AddSingleton<EmbeddingsEndpoint>();
        services.AddSingleton<RerankEndpoint>();
        services.AddSingleton<TokenizeEndpoints>();
        services.AddSingleton<SleepEndpoints>();
        services.AddSingleton<DevEndpoints>();

        var app = builder.Build();
        app.UseVllmCors();
        app.UseFastApiStatusDetail();
        app.UseApiKeyGuard(options.ApiKey);
        app.MapSimEndpoints();
        return app;
    }
}

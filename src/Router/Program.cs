using GpuRouter.Admin;
using GpuRouter.Admission;
using GpuRouter.Cli;
using GpuRouter.Configuration;
using GpuRouter.Forwarding;
using GpuRouter.Gpu;
using GpuRouter.Hosting;
using GpuRouter.Http;
using GpuRouter.Instances;
using GpuRouter.Lifecycle;
using GpuRouter.Requests;
using GpuRouter.Routing;
using GpuRouter.Schedule;
using GpuRouter.Security;
using GpuRouter.Telemetry;
using GpuRouter.Ui;
using GpuRouter.Usage;

// gpu-router VERB ...: the operator's commands, before any of the daemon is built.
if (CliProgram.Handles(args)) return await CliProgram.RunAsync(args);

var builder = WebApplication.CreateSlimBuilder(args);
RouterConfig config;
try
{
    config = builder.AddRouterConfig();
}
catch (ConfigException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
builder.UseRouterLogging(config.Logging);
builder.ConfigureRouterServer(config.Server);
builder.UseRouterSystemd();

builder.Services
    .AddSecurity(config.Clients)
    .AddSchedule(config.Schedule)
    .AddLifecycle(new ModelsOptions(config.Models), config.Lifecycle, config.Docker, config.Host, config.Hosts)
    .AddAdmission()
    .AddModelRouting()
    .AddForwarding()
    .AddRequests()
    .AddGpuTelemetry(config.Nvml)
    .AddRouterTelemetry()
    .AddUsage(config.Usage, config.Schedule.TimeZone)
    .AddRouterCors(config.Server)
    .AddUi()
    .AddHostedService<TelemetryWiring>();

var app = builder.Build();
app.LogConfigNotes(config);
app.UseMiddleware<ErrorBoundaryMiddleware>();
app.UseMiddleware<NetworkAllowlistMiddleware>();
app.UseRouterCors(config.Server);
app.UseMiddleware<SecurityMiddleware>();
app.UseAuthorization();
app.MapOpenAi();
app.MapHealth();
app.MapAdmin();
app.MapMetrics();
app.MapUi();
await app.RunAsync();
return 0;

public partial class Program;

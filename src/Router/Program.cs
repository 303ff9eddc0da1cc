using GpuRouter.Admin;
using GpuRouter.Admission;
using GpuRouter.Cli;
using GpuRouter.Configuration;
using GpuRouter.Forwarding;
using GpuRouter.Gpu;
using GpuRouter.Hosting;
using GpuRouter.Http;
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
RouterSettings settings;
try
{
    settings = builder.AddRouterSettings();
}
catch (ConfigException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
builder.UseRouterLogging(settings);
builder.ConfigureRouterServer(settings);
builder.UseRouterSystemd();

builder.Services
    .AddSecurity(settings)
    .AddSchedule(settings)
    .AddLifecycle(settings)
    .AddAdmission()
    .AddModelRouting()
    .AddForwarding()
    .AddRequests()
    .AddGpuTelemetry(new NvmlOptions { Library = settings.Nvml.Library, PollInterval = settings.Nvml.PollInterval })
    .AddRouterTelemetry()
    .AddUsage(settings)
    .AddRouterCors(settings.Server)
    .AddUi()
    .AddHostedService<TelemetryWiring>();

var app = builder.Build();
app.LogConfigNotes(settings);
app.UseMiddleware<ErrorBoundaryMiddleware>();
app.UseOpenAiStatusPages();
app.UseMiddleware<NetworkAllowlistMiddleware>();
app.UseRouterCors(settings.Server);
app.UseMiddleware<SecurityMiddleware>();
app.UseAuthorization();
app.MapOpenAi();
app.MapHealth();
app.MapAdmin();
app.MapMetrics();
app.MapUi();
app.MapNotFound();
await app.RunAsync();
return 0;

public partial class Program;

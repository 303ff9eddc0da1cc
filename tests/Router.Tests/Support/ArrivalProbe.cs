using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Router.Tests;

/// <summary>
/// A middleware put in front of the router's pipeline: it tells a test that a request for a path
/// has arrived (its head parsed), so the test can act mid-request without guessing with a sleep.
/// </summary>
internal sealed class ArrivalProbe : IStartupFilter
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _arrivals = new(StringComparer.Ordinal);

    public void AddTo(IServiceCollection services) => services.AddSingleton<IStartupFilter>(this);

    public Task ArrivedAsync(string path) => Slot(path).Task.WaitAsync(TimeSpan.FromSeconds(30));

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((HttpContext context, RequestDelegate inner) =>
        {
            Slot(context.Request.Path.Value ?? "").TrySetResult();
            return inner(context);
        });
        next(app);
    };

    private TaskCompletionSource Slot(string path) =>
        _arrivals.GetOrAdd(path, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}

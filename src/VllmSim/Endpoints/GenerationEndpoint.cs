using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using VllmSim.Api;
using VllmSim.Generation;

namespace VllmSim.Endpoints;

/// <summary>
/// The path every generating endpoint shares: read the body, plan the job (or answer the
/// validation error), then run it through the scheduler with the endpoint's writer.
/// </summary>
internal static class GenerationEndpoint
{
    public delegate GenerationJob? Planner<in TRequest>(TRequest request, out ApiError? error);

    public static async Task HandleAsync<TRequest>(
        HttpContext context, JsonTypeInfo<TRequest> type, Planner<TRequest> plan,
        Func<TRequest, GenerationJob, IGenerationWriter> writer, GenerationRunner runner, SimStats stats)
        where TRequest : class
    {
        var (request, error) = await RequestBody.ReadAsync(context, type);
        var job = request is null ? null : plan(request, out error);
        if (job is null)
        {
            stats.OnRejected();
            await ErrorWriter.WriteAsync(context, error!);
            return;
        }
        using var output = writer(request!, job);
        await runner.RunAsync(context, job, output);
    }
}

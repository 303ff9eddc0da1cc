using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace VllmSim.Hosting;

/// <summary>
/// FastAPI's bodies for routing failures (<c>{"detail":"Not Found"}</c>, <c>{"detail":"Method Not
/// Allowed"}</c>), which clients of vLLM may match on; ASP.NET Core sends these with no body.
/// </summary>
internal static class StatusDetail
{
    public static void UseFastApiStatusDetail(this WebApplication app) => app.Use(async (context, next) =>
    {
        await next(context);
        var response = context.Response;
        if (response.HasStarted || response.ContentLength is not null)
        {
            return;
        }
        var detail = response.StatusCode switch
        {
            StatusCodes.Status404NotFound => "{\"detail\":\"Not Found\"}",
            StatusCodes.Status405MethodNotAllowed => "{\"detail\":\"Method Not Allowed\"}",
            _ => null,
        };
        if (detail is not null)
        {
            response.ContentType = "application/json";
            await response.WriteAsync(detail, context.RequestAborted);
        }
    });
}

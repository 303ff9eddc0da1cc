using Microsoft.AspNetCore.Http;

namespace VllmSim.Api;

/// <summary>Writes <c>{"error":{"message","type","param","code"}}</c> as vLLM 0.10.1 and later do.</summary>
internal static class ErrorWriter
{
    public static async Task WriteAsync(HttpContext context, ApiError error)
    {
        var response = context.Response;
        response.StatusCode = error.Status;
        response.ContentType = JsonOut.JsonContentType;
        await using (var json = JsonOut.Writer(response.BodyWriter))
        {
            json.WriteStartObject();
            json.WriteStartObject("error");
            json.WriteString("message", error.Message);
            json.WriteString("type", error.Type);
            if (error.Param is null)
            {
                json.WriteNull("param");
            }
            else
            {
                json.WriteString("param", error.Param);
            }
            json.WriteNumber("code", error.Status);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        await response.BodyWriter.FlushAsync(context.RequestAborted);
    }
}

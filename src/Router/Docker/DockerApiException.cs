using System.Net;

namespace GpuRouter.Docker;

/// <summary>
/// The daemon answered with an error. <see cref="DaemonMessage"/> is Docker's own words (e.g.
/// "No such image: vllm/vllm-openai:v0.9"), which is what an operator needs to see.
/// </summary>
public sealed class DockerApiException : Exception
{
    public DockerApiException(HttpStatusCode statusCode, string daemonMessage, string request)
        : base($"Docker: {daemonMessage} ({(int)statusCode} on {request})")
    {
        StatusCode = statusCode;
        DaemonMessage = daemonMessage;
        Request = request;
    }

    public HttpStatusCode StatusCode { get; }

    /// <summary>The <c>message</c> field of the daemon's error body (or its raw text when not JSON).</summary>
    public string DaemonMessage { get; }

    /// <summary>Method and path of the failed call, e.g. <c>POST /v1.41/containers/create</c>.</summary>
    public string Request { get; }
}

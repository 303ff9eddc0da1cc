using System.Net;
using System.Text;
using Docker.DotNet.Models;
using GpuRouter.Docker;

namespace Router.Tests.Docker;

/// <summary>
/// Answers the local engine does not give on demand, served by the fake daemon on its unix socket
/// to the real client: each error status the daemon uses, and a logs body whose stdout, stderr and
/// stdin frames interleave.
/// </summary>
public sealed class DockerAnswersTests
{
    private const string Version141 = """{"Version":"20.10.24","ApiVersion":"1.41","Os":"linux","Arch":"amd64"}""";

    public static TheoryData<int, string, string> ErrorAnswers => new()
    {
        { 500, "POST /v1.41/containers/create", "failed to create shim task: OCI runtime create failed" },
        { 409, "POST /v1.41/containers/c1/kill", "Container c1 is not running" },
        { 404, "POST /v1.41/containers/c1/start", "No such container: c1" },
        { 400, "POST /v1.41/containers/c1/stop", "bad parameter" },
    };

    [Theory]
    [MemberData(nameof(ErrorAnswers))]
    public async Task Call_DaemonAnswersAnError_ApiExceptionWithTheDaemonsMessageStatusAndCall(int status, string call, string message)
    {
        await using var daemon = new FakeDockerDaemon(line => line.StartsWith("GET /version ", StringComparison.Ordinal)
            ? FakeDockerDaemon.Json(200, Version141)
            : FakeDockerDaemon.Json(status, $$"""{"message":"{{message}}"}"""));
        using var client = DockerUnavailableTests.Client(daemon.Endpoint);

        var error = await Assert.ThrowsAsync<DockerApiException>(() => Send(client, call));

        Assert.Equal((HttpStatusCode)status, error.StatusCode);
        Assert.Equal(message, error.DaemonMessage);
        Assert.Equal(call, error.Request);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetLogsTail_FramesOfBothStreamsInterleaved_KeptInArrivalOrderWithoutStdin()
    {
        var body = Frame(1, "o1\n") + Frame(2, "e1\n") + Frame(0, "typed\n") + Frame(1, "o2\n") + Frame(2, "e2\n");
        await using var daemon = new FakeDockerDaemon(line => line switch
        {
            _ when line.StartsWith("GET /version ", StringComparison.Ordinal) => FakeDockerDaemon.Json(200, Version141),
            // A 1.41 daemon sends no content type for logs: the container's TTY setting says the body is multiplexed.
            _ when line.StartsWith("GET /v1.41/containers/c1/json ", StringComparison.Ordinal) => FakeDockerDaemon.Json(200, """{"Id":"c1","Config":{"Tty":false}}"""),
            _ when line.StartsWith("GET /v1.41/containers/c1/logs?", StringComparison.Ordinal) =>
                $"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}",
            _ => FakeDockerDaemon.Json(500, $$"""{"message":"unexpected {{line}}"}"""),
        });
        using var client = DockerUnavailableTests.Client(daemon.Endpoint);

        Assert.Equal("o1\ne1\no2\ne2\n", await client.GetLogsTailAsync("c1", 20, default));
        Assert.Contains(daemon.Requests, line => line.Contains("tail=20", StringComparison.Ordinal));
    }

    private static Task Send(IDockerClient client, string call) => call.Split(' ')[1].Split('/')[^1] switch
    {
        "create" => client.CreateContainerAsync(new CreateContainerParameters { Name = "c1", Image = "vllm/vllm-openai:v0.28.0" }, default),
        "kill" => client.KillContainerAsync("c1", "SIGKILL", default),
        "start" => client.StartContainerAsync("c1", default),
        "stop" => client.StopContainerAsync("c1", TimeSpan.FromSeconds(1), default),
        _ => throw new ArgumentException(call),
    };

    // One frame of Docker's multiplexed stream: [stream, 0, 0, 0, big-endian size] then the bytes
    // (ASCII here, so the fake's UTF-8 answer carries the header bytes unchanged).
    private static string Frame(byte stream, string text) =>
        Encoding.Latin1.GetString([stream, 0, 0, 0, 0, 0, 0, (byte)text.Length]) + text;
}

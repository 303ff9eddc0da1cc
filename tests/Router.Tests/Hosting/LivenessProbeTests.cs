using GpuRouter.Hosting;

namespace Router.Tests.Hosting;

public class LivenessProbeTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8000", "http://127.0.0.1:8000/health")]
    [InlineData("http://100.101.102.103:8000|http://127.0.0.1:8001", "http://127.0.0.1:8001/health")]
    [InlineData("http://100.101.102.103:8000", "http://100.101.102.103:8000/health")]
    [InlineData("http://0.0.0.0:8000", "http://127.0.0.1:8000/health")]
    [InlineData("http://[::]:8000", "http://127.0.0.1:8000/health")]
    [InlineData("http://localhost:8000", "http://127.0.0.1:8000/health")]
    [InlineData("http://[::1]:8000", "http://[::1]:8000/health")]
    [InlineData("https://127.0.0.1:8443|http://100.101.102.103:8000", "http://100.101.102.103:8000/health")]
    [InlineData("https://127.0.0.1:8443", "https://127.0.0.1:8443/health")]
    public void HealthUri_PrefersPlainHttpThenLoopback(string bound, string expected) =>
        Assert.Equal(new Uri(expected), LivenessProbe.HealthUri(bound.Split('|')));

    [Fact]
    public void HealthUri_NoTcpAddress_IsNull() => Assert.Null(LivenessProbe.HealthUri(["http://unix:/run/gpu-router.sock"]));
}

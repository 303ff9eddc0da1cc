using GpuRouter.Configuration;
using GpuRouter.Hosting;

namespace Router.Tests.Hosting;

/// <summary>The server section's keys for slow bodies and browsers: defaults, and every mistake named by its key.</summary>
public sealed class ServerConfigTests
{
    private const string Models = """
        models:
          - { name: llama, instances: [{ name: llama_0, gpus: [0], endpoint: "http://127.0.0.1:9/" }] }

        """;

    [Fact]
    public void Defaults_AreKestrelsBodyRateAndNoCors()
    {
        var server = ConfigLoader.Load(Models, "test.yaml").Server;

        Assert.Equal(240, server.MinRequestBodyRate);
        Assert.Equal(TimeSpan.FromSeconds(5), server.RequestBodyGracePeriod);
        Assert.Empty(server.CorsOrigins);
    }

    [Fact]
    public void CorsOrigins_AreKeptWithoutATrailingSlash()
    {
        var server = ConfigLoader.Load(Models + """
            server: { corsOrigins: ["https://chat.example.com/", "http://100.64.0.5:3000", "*"], minRequestBodyRate: 0 }
            """, "test.yaml").Server;

        Assert.Equal(["https://chat.example.com", "http://100.64.0.5:3000", "*"], server.CorsOrigins);
        Assert.Equal(0, server.MinRequestBodyRate);
    }

    [Fact]
    public void Mistakes_AreAllReportedNamingTheirKeys()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(Models + """
            server:
              corsOrigins: ["https://chat.example.com/app", "chat.example.com", "ftp://files.example"]
              minRequestBodyRate: -1
              requestBodyGracePeriod: 1s
            """, "test.yaml"));

        Assert.Contains(e.Errors, m => m.StartsWith("server.corsOrigins[0]: 'https://chat.example.com/app'", StringComparison.Ordinal));
        Assert.Contains(e.Errors, m => m.StartsWith("server.corsOrigins[1]:", StringComparison.Ordinal));
        Assert.Contains(e.Errors, m => m.StartsWith("server.corsOrigins[2]:", StringComparison.Ordinal));
        Assert.Contains(e.Errors, m => m.StartsWith("server.minRequestBodyRate:", StringComparison.Ordinal));
        Assert.Contains(e.Errors, m => m.StartsWith("server.requestBodyGracePeriod:", StringComparison.Ordinal));
    }
}

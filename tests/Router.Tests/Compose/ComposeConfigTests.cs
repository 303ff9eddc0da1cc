using YamlDotNet.RepresentationModel;

namespace Router.Tests.Compose;

/// <summary>
/// compose/docker-compose.yml as Debian's docker-compose reads it (`docker-compose config`, which
/// validates the file and resolves every variable without starting anything), with an .env made
/// from compose/.env.example.
/// </summary>
public sealed class ComposeConfigTests : IDisposable
{
    private static readonly string ComposeDir = Path.Combine(RepoRoot.Path, "compose");
    private readonly string _dir = Directory.CreateTempSubdirectory("compose-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // Every variable of .env.example given a value: so the example names all the file requires.
    private string EnvFile(string? without = null)
    {
        var lines = File.ReadAllLines(Path.Combine(ComposeDir, ".env.example"))
            .Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l.Split('=', 2))
            .Where(p => p[0] != without)
            .Select(p => $"{p[0]}={(p[1].Length > 0 ? p[1] : "test-" + p[0].ToLowerInvariant())}");
        var path = Path.Combine(_dir, without is null ? "env" : "env-without-" + without);
        File.WriteAllLines(path, lines);
        return path;
    }

    private static async Task<(int Code, string Output, string Error)> ConfigAsync(string envFile)
    {
        var info = Processes.Info("docker-compose", "-f", Path.Combine(ComposeDir, "docker-compose.yml"), "--env-file", envFile, "config");
        foreach (var name in new[] { "WEBUI_API_KEY", "WEBUI_SECRET_KEY", "N8N_POSTGRES_PASSWORD", "GRAFANA_ADMIN_PASSWORD", "BIND_ADDRESS", "COMPOSE_PROJECT_NAME" })
            info.Environment.Remove(name);
        return await Processes.RunAsync(info);
    }

    [Fact]
    public async Task Config_IsValid_N8nKeepsItsDataInItsOwnPostgresOnAnIsolatedNetwork()
    {
        var (code, output, error) = await ConfigAsync(EnvFile());
        Assert.True(code == 0, error);
        var root = (YamlMappingNode)Load(output);
        var services = (YamlMappingNode)root["services"];
        var networks = (YamlMappingNode)root["networks"];

        foreach (var (key, value) in networks.Children)
            Assert.Equal(key.ToString(), ((YamlMappingNode)value)["name"].ToString());
        Assert.Equal(["apps_net", "monitoring_net", "n8n_net"], networks.Children.Keys.Select(k => k.ToString()).Order());
        Assert.Equal("true", ((YamlMappingNode)networks["n8n_net"])["internal"].ToString());

        Assert.Equal(["n8n_net"], NetworksOf(services, "n8n-postgres"));
        Assert.Equal(["apps_net", "n8n_net"], NetworksOf(services, "n8n"));
        Assert.Equal(["apps_net"], NetworksOf(services, "open-webui"));
        Assert.Equal(["monitoring_net"], NetworksOf(services, "prometheus"));
        Assert.Equal(["monitoring_net"], NetworksOf(services, "grafana"));

        var n8n = Environment(services, "n8n");
        var postgres = Environment(services, "n8n-postgres");
        Assert.Equal("postgresdb", n8n["DB_TYPE"]);
        Assert.True(services.Children.ContainsKey(n8n["DB_POSTGRESDB_HOST"]), "DB_POSTGRESDB_HOST names the PostgreSQL service");
        Assert.Equal(postgres["POSTGRES_DB"], n8n["DB_POSTGRESDB_DATABASE"]);
        Assert.Equal(postgres["POSTGRES_USER"], n8n["DB_POSTGRESDB_USER"]);
        Assert.Equal("test-n8n_postgres_password", n8n["DB_POSTGRESDB_PASSWORD"]);
        Assert.Equal(n8n["DB_POSTGRESDB_PASSWORD"], postgres["POSTGRES_PASSWORD"]);
        Assert.Equal("service_healthy", ((YamlMappingNode)((YamlMappingNode)((YamlMappingNode)services["n8n"])["depends_on"])["n8n-postgres"])["condition"].ToString());
    }

    [Fact]
    public async Task Config_PublishesPortsOnAnAddressOnly_AndNoModelNetwork()
    {
        var (code, output, error) = await ConfigAsync(EnvFile());
        Assert.True(code == 0, error);
        var services = (YamlMappingNode)((YamlMappingNode)Load(output))["services"];

        Assert.False(((YamlMappingNode)services["n8n-postgres"]).Children.ContainsKey("ports"));
        foreach (var (name, service) in services.Children)
        {
            if (!((YamlMappingNode)service).Children.TryGetValue("ports", out var ports)) continue;
            foreach (var port in (YamlSequenceNode)ports)
                Assert.Matches(@"^(100\.101\.102\.103|127\.0\.0\.1):\d+:\d+/tcp$", port.ToString());
        }
        Assert.DoesNotContain("llm_net", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("N8N_POSTGRES_PASSWORD")]
    [InlineData("WEBUI_API_KEY")]
    public async Task Config_WithoutARequiredSetting_FailsNamingIt(string variable)
    {
        var (code, _, error) = await ConfigAsync(EnvFile(without: variable));

        Assert.NotEqual(0, code);
        Assert.Contains($"set {variable} in compose/.env", error, StringComparison.Ordinal);
    }

    private static YamlNode Load(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents[0].RootNode;
    }

    private static string[] NetworksOf(YamlMappingNode services, string service) =>
        [.. ((YamlMappingNode)((YamlMappingNode)services[service])["networks"]).Children.Keys.Select(k => k.ToString()).Order()];

    private static Dictionary<string, string> Environment(YamlMappingNode services, string service) =>
        ((YamlMappingNode)((YamlMappingNode)services[service])["environment"]).Children.ToDictionary(kv => kv.Key.ToString(), kv => kv.Value.ToString());
}

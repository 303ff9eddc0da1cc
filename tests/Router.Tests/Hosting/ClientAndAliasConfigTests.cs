using GpuRouter.Configuration;
using GpuRouter.Hosting;

namespace Router.Tests.Hosting;

/// <summary>The keys this feature adds: clients' trustUserHeaders, models, maxConcurrent and tokensPerDay; models' aliases.</summary>
public sealed class ClientAndAliasConfigTests
{
    private const string Key = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private static string Yaml(string client, string models) => $$"""
        clients:
          - { name: n8n, keySha256: "{{Key}}"{{client}} }
        models:
        {{models}}
        """;

    private const string TwoModels = """
          - { name: llama, aliases: [gpt-4o-mini, llama3.1], endpoint: "http://127.0.0.1:9/" }
          - { name: qwen, endpoint: "http://127.0.0.1:9/" }
        """;

    private static RouterConfig Load(string yaml) => ConfigLoader.Load(yaml, "test.yaml", _ => null);

    [Fact]
    public void Load_ClientLimitsAndAliases_AreRead()
    {
        var s = Load(Yaml(", trustUserHeaders: true, models: [llama, gpt-4o-mini], maxConcurrent: 4, tokensPerDay: 2000000", TwoModels));

        var client = Assert.Single(s.Clients);
        Assert.True(client.TrustUserHeaders);
        Assert.Equal(["llama", "gpt-4o-mini"], client.Models);
        Assert.Equal(4, client.MaxConcurrent);
        Assert.Equal(2_000_000, client.TokensPerDay);
        Assert.Equal(["gpt-4o-mini", "llama3.1"], s.Models[0].Aliases);
        Assert.Empty(s.Models[1].Aliases);
    }

    [Fact]
    public void Load_NoLimits_MeansNone()
    {
        var client = Assert.Single(Load(Yaml("", TwoModels)).Clients);
        Assert.False(client.TrustUserHeaders);
        Assert.Null(client.Models);
        Assert.Null(client.MaxConcurrent);
        Assert.Null(client.TokensPerDay);
    }

    [Fact]
    public void Load_AliasClashes_AreAllReportedAtOnceNamingBothKeys()
    {
        var e = Assert.Throws<ConfigException>(() => Load(Yaml("", """
              - { name: llama, aliases: [gpt-4o-mini, qwen, llama, " "], endpoint: "http://127.0.0.1:9/" }
              - { name: qwen, aliases: [gpt-4o-mini, mini, mini], endpoint: "http://127.0.0.1:9/" }
            """)));

        Assert.Contains("models[0].aliases[1]: 'qwen' is already the name of models[1]", e.Message, StringComparison.Ordinal);
        Assert.Contains("models[0].aliases[2]: 'llama' is the model's own name", e.Message, StringComparison.Ordinal);
        Assert.Contains("models[0].aliases[3]: is empty", e.Message, StringComparison.Ordinal);
        Assert.Contains("models[1].aliases[0]: 'gpt-4o-mini' is already models[0].aliases[0]", e.Message, StringComparison.Ordinal);
        Assert.Contains("models[1].aliases[2]: 'mini' is already models[1].aliases[1]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BadScopeAndLimits_AreAllReportedNamingTheKey()
    {
        var e = Assert.Throws<ConfigException>(() => Load($$"""
            clients:
              - { name: n8n, keySha256: "{{Key}}", models: [llama, gpt-5], maxConcurrent: 0, tokensPerDay: -1 }
              - { name: empty, keySha256: "{{Key.Replace('9', '8')}}", models: [] }
            models:
            {{TwoModels}}
            """));

        Assert.Contains("clients[0].models[1]: 'gpt-5' is not a model name or alias in models", e.Message, StringComparison.Ordinal);
        Assert.Contains("clients[0].maxConcurrent: must be greater than 0", e.Message, StringComparison.Ordinal);
        Assert.Contains("clients[0].tokensPerDay: must be greater than 0", e.Message, StringComparison.Ordinal);
        Assert.Contains("clients[1].models: an empty list allows no model", e.Message, StringComparison.Ordinal);
    }
}

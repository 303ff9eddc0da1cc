using System.Net.Http.Json;
using System.Text.Json;
using Router.Tests.Cli;

namespace Router.Tests.Health;

/// <summary>/health's instance fields the status page and `gpu-router status` read: last used, the mode's override and next switch.</summary>
public sealed class InstanceViewTests : IAsyncLifetime
{
    private readonly Sims _sims = new();
    private RouterFactory _router = null!;

    public async Task InitializeAsync()
    {
        var llama = await _sims.StartAsync("llama");
        _router = new RouterFactory($$"""
            {{TestKeys.ClientsYaml}}
            models:
              - name: llama
                instances:
                  - { name: llama_0, gpus: [0], endpoint: "{{llama.BaseAddress}}", maxModelLen: 8192 }
                  - { name: llama_1, gpus: [1], endpoint: "{{llama.BaseAddress}}", maxModelLen: 8192 }
            """);
    }

    public async Task DisposeAsync()
    {
        await _router.DisposeAsync();
        await _sims.DisposeAsync();
    }

    private async Task<JsonElement> InstanceAsync(string name)
    {
        using var client = _router.Client();
        var health = await client.GetFromJsonAsync<JsonElement>("/health");
        return health.GetProperty("instances").EnumerateArray().Single(i => i.GetProperty("name").GetString() == name);
    }

    [Fact]
    public async Task LastUsed_NullUntilARequestArrives_ThenItsTime()
    {
        Assert.Equal(JsonValueKind.Null, (await InstanceAsync("llama_0")).GetProperty("lastUsed").ValueKind);

        var before = DateTimeOffset.UtcNow;
        using (var client = _router.Client(TestKeys.WebUi))
        using (var response = await client.PostChatAsync(Http.Chat("llama", maxTokens: 2)))
            Assert.Equal("llama_0", response.Header("X-Router-Instance"));

        var used = (await InstanceAsync("llama_0")).GetProperty("lastUsed").GetDateTimeOffset();
        Assert.InRange(used, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(JsonValueKind.Null, (await InstanceAsync("llama_1")).GetProperty("lastUsed").ValueKind);
    }

    [Fact]
    public async Task Status_ShowsNeverForAnInstanceNoRequestUsed()
    {
        using (var client = _router.Client(TestKeys.WebUi))
        using (var response = await client.PostChatAsync(Http.Chat("llama", maxTokens: 2)))
            await response.ExpectAsync(System.Net.HttpStatusCode.OK);

        var result = await CliRunner.For(_router.Start(), TestKeys.Admin).RunAsync("status");

        Assert.True(result.Code == 0, result.Error);
        Assert.Matches(@"\nllama_0 +llama +always +0 +Ready \(endpoint\) +0/\d+ +0 +\d+s ago +0 ", result.Out);
        Assert.Matches(@"\nllama_1 +llama +always +1 +Ready \(endpoint\) +0/\d+ +0 +never +0 ", result.Out);
    }

    [Fact]
    public async Task Mode_OverrideAndNextSwitch_FollowTheAdminsOverride()
    {
        using var client = _router.Client();
        var auto = await client.GetFromJsonAsync<JsonElement>("/health");
        Assert.Equal("auto", auto.GetProperty("override").GetString());
        Assert.True(auto.GetProperty("nextSwitch").GetDateTimeOffset() > DateTimeOffset.UtcNow);

        using (var admin = _router.Client(TestKeys.Admin))
        using (var put = await admin.PutAsync("/admin/mode", Http.Json("""{"override":"night"}""")))
            await put.ExpectAsync(System.Net.HttpStatusCode.OK);

        var held = await client.GetFromJsonAsync<JsonElement>("/health");
        Assert.Equal("night", held.GetProperty("mode").GetString());
        Assert.Equal("night", held.GetProperty("override").GetString());
        Assert.Equal(JsonValueKind.Null, held.GetProperty("nextSwitch").ValueKind);
    }
}

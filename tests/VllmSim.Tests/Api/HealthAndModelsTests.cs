using System.Net;
using VllmSim.Tests.Support;

namespace VllmSim.Tests.Api;

public sealed class HealthAndModelsTests
{
    [Fact]
    public async Task Health_Running_Returns200WithEmptyBody()
    {
        await using var sim = await Sim.StartAsync();

        using var response = await sim.Client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Models_ServedNames_ListedInVllmShape()
    {
        await using var sim = await Sim.StartAsync(o =>
        {
            o.Model = "org/base-model";
            o.ServedModelNames = ["alias-a", "alias-b"];
            o.MaxModelLen = 4096;
        });

        var body = await sim.Client.GetJsonAsync("/v1/models");

        Assert.Equal("list", body.GetProperty("object").GetString());
        var models = body.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(["alias-a", "alias-b"], models.Select(m => m.GetProperty("id").GetString()));
        Assert.All(models, m =>
        {
            Assert.Equal("model", m.GetProperty("object").GetString());
            Assert.Equal("vllm", m.GetProperty("owned_by").GetString());
            Assert.Equal("org/base-model", m.GetProperty("root").GetString());
            Assert.Equal(4096, m.GetProperty("max_model_len").GetInt32());
            Assert.True(m.GetProperty("created").GetInt64() > 1_700_000_000);
        });
    }

    [Fact]
    public async Task Models_NoServedName_ListsTheModel()
    {
        await using var sim = await Sim.StartAsync();

        var body = await sim.Client.GetJsonAsync("/v1/models");

        Assert.Equal(Sim.ModelName, body.GetProperty("data")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task Version_Get_ReturnsVersionJson()
    {
        await using var sim = await Sim.StartAsync();

        var body = await sim.Client.GetJsonAsync("/version");

        Assert.StartsWith("0.", body.GetProperty("version").GetString(), StringComparison.Ordinal);
    }
}

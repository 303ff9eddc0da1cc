using System.Net;

namespace Router.Tests.Admin;

/// <summary>The /admin group's policy: every admin path (known, unknown, wrong method) behind the admin key.</summary>
public sealed class AdminGroupTests
{
    private static RouterFactory Router() => new($$"""
        {{TestKeys.ClientsYaml}}
        models:
          - { name: llama, instances: [{ name: llama_0, gpus: [0], endpoint: "http://127.0.0.1:1/" }] }
        """);

    [Theory]
    [InlineData("GET", "/admin/instances")]
    [InlineData("GET", "/admin/mode")]
    [InlineData("PUT", "/admin/mode")]
    [InlineData("GET", "/admin/gpus")]
    [InlineData("GET", "/admin/usage")]
    [InlineData("POST", "/admin/instances/llama_0/stop")]
    [InlineData("GET", "/admin/no-such-thing")]
    [InlineData("POST", "/admin/mode")]
    public async Task AdminPath_WithUserKey_Is403AdminOnly_AndTheActionDoesNotHappen(string method, string path)
    {
        using var router = Router();
        using var user = router.Client(TestKeys.WebUi);
        using var response = await user.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = Http.Json("""{"override":"night"}""") });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var error = await Http.ErrorAsync(response);
        Assert.Equal("admin_only", error.GetProperty("code").GetString());
        Assert.Equal("permission_error", error.GetProperty("type").GetString());
        using var admin = router.Client(TestKeys.Admin);
        Assert.Contains("\"override\":\"auto\"", await admin.GetStringAsync("/admin/mode"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminPath_WithoutKey_Is401()
    {
        using var router = Router();
        using var anonymous = router.Client(null);
        using var response = await anonymous.GetAsync("/admin/instances");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_api_key", (await Http.ErrorAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task AdminKey_UnknownAdminPath_Is404_AndWrongMethodIs405WithAllow()
    {
        using var router = Router();
        using var admin = router.Client(TestKeys.Admin);

        using var missing = await admin.GetAsync("/admin/no-such-thing");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("not_found", (await Http.ErrorAsync(missing)).GetProperty("code").GetString());

        using var wrong = await admin.PostAsync("/admin/mode", Http.Json("{}"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrong.StatusCode);
        Assert.Contains("PUT", string.Join(",", wrong.Content.Headers.Allow), StringComparison.Ordinal);
    }
}

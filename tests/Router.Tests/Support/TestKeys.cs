using System.Security.Cryptography;
using System.Text;

namespace Router.Tests;

/// <summary>The API keys every test config knows, and the YAML that declares them.</summary>
internal static class TestKeys
{
    public const string WebUi = "webui-test-key";
    public const string N8n = "n8n-test-key";
    public const string Admin = "admin-test-key";

    public static string ClientsYaml => $"""
        clients:
          - {"{"} name: webui, source: interactive, keySha256: "{Hash(WebUi)}" {"}"}
          - {"{"} name: n8n, source: batch, keySha256: "{Hash(N8n)}" {"}"}
          - {"{"} name: ops, admin: true, keySha256: "{Hash(Admin)}" {"}"}
        """;

    /// <summary>The same three clients with extra keys on webui and n8n, e.g. <c>maxConcurrent: 2</c>.</summary>
    public static string ClientsYamlWith(string webui = "", string n8n = "") => $"""
        clients:
          - {"{"} name: webui, source: interactive, keySha256: "{Hash(WebUi)}"{Extra(webui)} {"}"}
          - {"{"} name: n8n, source: batch, keySha256: "{Hash(N8n)}"{Extra(n8n)} {"}"}
          - {"{"} name: ops, admin: true, keySha256: "{Hash(Admin)}" {"}"}
        """;

    private static string Extra(string keys) => keys.Length == 0 ? "" : ", " + keys;

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}

using System.Security.Cryptography;
using System.Text;
using GpuRouter.Configuration;
using GpuRouter.Security;

namespace Router.Tests.Security;

public class ClientRegistryTests
{
    private static ClientDefinition Client(string name, string key, ClientSource source = ClientSource.Batch, bool admin = false) =>
        new(name, source, admin, SHA256.HashData(Encoding.UTF8.GetBytes(key)), null);

    [Fact]
    public void Find_KnownKey_ReturnsItsClient()
    {
        var registry = new ClientRegistry([Client("webui", "k1", ClientSource.Interactive), Client("ops", "k2", admin: true)]);
        Assert.Equal(new ClientIdentity("webui", ClientSource.Interactive, false), registry.Find("k1"));
        Assert.True(registry.Find("k2")!.Admin);
    }

    [Theory]
    [InlineData("")]
    [InlineData("k")]
    [InlineData("k1 ")]
    [InlineData("K1")]
    public void Find_UnknownKey_ReturnsNull(string key) =>
        Assert.Null(new ClientRegistry([Client("webui", "k1")]).Find(key));

    [Fact]
    public void Find_VeryLongKey_ReturnsNullWithoutThrowing() =>
        Assert.Null(new ClientRegistry([Client("webui", "k1")]).Find(new string('x', 100_000)));

    [Fact]
    public void IsOpen_NoClients_IsTrue() => Assert.True(new ClientRegistry([]).IsOpen);
}

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Router.Tests;

/// <summary>
/// The real router app, configured from a YAML text written to a temporary file. Listens on a
/// real loopback port (Kestrel) so clients, disconnects and streaming behave as in production.
/// </summary>
public sealed class RouterFactory : WebApplicationFactory<Program>
{
    private readonly string _configPath;
    private readonly Action<IServiceCollection>? _services;
    private readonly Dictionary<string, string> _settings = [];
    private readonly Lock _startLock = new();
    private Uri? _address;

    public RouterFactory(string yaml, Action<IServiceCollection>? services = null)
    {
        var id = Guid.NewGuid().ToString("N");
        _configPath = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"router-test-{id}.yaml");
        // Each router keeps its state (the mode override) in its own folder unless the test shares one.
        StateDir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"router-state-{id}");
        if (!yaml.Contains("\nstate:", StringComparison.Ordinal) && !yaml.StartsWith("state:", StringComparison.Ordinal))
            yaml += $"\nstate: {{ dir: \"{StateDir}\" }}\n";
        File.WriteAllText(_configPath, yaml);
        _services = services;
        // Kestrel on the port the "urls" setting names (127.0.0.1:0). Not UseKestrel(0): that clears
        // and re-adds the server's addresses after the app is built, racing Kestrel's own bind, and
        // fails now and then with "IServerAddressesFeature.Addresses cannot be modified after the
        // server has started" (dotnet/aspnetcore#67714).
        UseKestrel();
    }

    public string StateDir { get; }

    public RouterFactory WithSetting(string key, string value)
    {
        _settings[key] = value;
        return this;
    }

    /// <summary>Starts the server once (StartServer is not idempotent with Kestrel) and returns its base address.</summary>
    public Uri Start()
    {
        lock (_startLock)
        {
            if (_address is not null) return _address;
            StartServer();
            var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
            return _address = new Uri(addresses.Addresses.First());
        }
    }

    public HttpClient Client(string? key = null)
    {
        var client = new HttpClient { BaseAddress = Start(), Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null) client.DefaultRequestHeaders.Authorization = new("Bearer", key);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("config", _configPath);
        builder.UseSetting("urls", "http://127.0.0.1:0");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        if (_services is not null) builder.ConfigureServices(_services);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try
        {
            File.Delete(_configPath);
            if (Directory.Exists(StateDir)) Directory.Delete(StateDir, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp file is harmless.
        }
    }
}

namespace VllmSim.Tests.Support;

/// <summary>Starts an in-process simulator on a free loopback port, with a client for it.</summary>
internal sealed class Sim : IAsyncDisposable
{
    public const string ModelName = "test-model";

    private Sim(SimServer server, StringWriter log)
    {
        Server = server;
        Log = log;
        // No draining of half-read responses: a test that drops a stream means "the client left",
        // and the default handler would keep reading for up to 2 s to reuse the connection.
        var handler = new SocketsHttpHandler { MaxResponseDrainSize = 0 };
        Client = new HttpClient(handler) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public SimServer Server { get; }

    public HttpClient Client { get; }

    public StringWriter Log { get; }

    public SimStats Stats => Server.Stats;

    public static async Task<Sim> StartAsync(Action<SimOptions>? configure = null)
    {
        var log = new StringWriter();
        var options = new SimOptions { Model = ModelName, Port = 0, LogOutput = TextWriter.Synchronized(log) };
        configure?.Invoke(options);
        return new Sim(await SimServer.StartAsync(options), log);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}

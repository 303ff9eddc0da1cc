using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace Router.Tests;

/// <summary>
/// A throwaway PostgreSQL 15 cluster for one test class: initdb into a temporary folder, a server
/// on a free loopback port, everything stopped and deleted on dispose. Tests stop and start it to
/// stage an outage, and take a fresh database each so they never see each other's rows.
/// </summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    private const string Bin = "/usr/lib/postgresql/15/bin";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    // PostgreSQL refuses to run as root; the Debian package creates this user.
    private static readonly bool AsPostgresUser = Environment.UserName == "root";

    private readonly StringBuilder _serverLog = new();
    private string _root = "";
    private Process? _server;

    public int Port { get; private set; }

    public bool IsRunning => _server is { HasExited: false };

    private string DataDir => Path.Combine(_root, "data");

    public async Task InitializeAsync()
    {
        try
        {
            _root = Directory.CreateTempSubdirectory("router-pg-").FullName;
            if (AsPostgresUser) await RunAsync("chown", "postgres:postgres", _root);
            // No fsync: the cluster lives for one test class and is deleted after it.
            await RunAsync(AsPostgres(Path.Combine(Bin, "initdb"),
                "-D", DataDir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"));
            Port = FreePort();
            await StartAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the server (again) on the same port and waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        var (file, args) = AsPostgres(Path.Combine(Bin, "postgres"),
            "-D", DataDir, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-k", _root,
            "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
            "-c", "full_page_writes=off", "-c", "shared_buffers=16MB", "-c", "max_connections=50");
        var info = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        _server = Process.Start(info)!;
        _server.ErrorDataReceived += (_, e) => { lock (_serverLog) _serverLog.AppendLine(e.Data); };
        _server.OutputDataReceived += (_, e) => { lock (_serverLog) _serverLog.AppendLine(e.Data); };
        _server.BeginErrorReadLine();
        _server.BeginOutputReadLine();
        await WaitUntilAcceptingAsync(_server);
    }

    /// <summary>Stops the server as an operator would (pg_ctl stop -m fast): sessions are cut, nothing committed is lost.</summary>
    public async Task StopAsync()
    {
        await RunAsync(AsPostgres(Path.Combine(Bin, "pg_ctl"), "stop", "-D", DataDir, "-m", "fast", "-w", "-t", "30"));
        if (_server is not null) await _server.WaitForExitAsync();
    }

    /// <summary>A new, empty database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "usage_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        // A generated name: identifiers cannot be parameters.
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    // Unpooled: a test's own connections must not outlive a restart of the server.
    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=false;Timeout=5";

    public async Task DisposeAsync()
    {
        if (_server is { HasExited: false } server)
        {
            try
            {
                await RunAsync(AsPostgres(Path.Combine(Bin, "pg_ctl"), "stop", "-D", DataDir, "-m", "immediate", "-w", "-t", "10"));
            }
            catch (InvalidOperationException)
            {
                // pg_ctl failed; the kill below ends the server we started.
            }
            if (!server.WaitForExit(5_000)) server.Kill(entireProcessTree: true);
        }
        _server?.Dispose();
        if (_root.Length > 0 && Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private async Task WaitUntilAcceptingAsync(Process server)
    {
        var deadline = Environment.TickCount64 + (long)StartTimeout.TotalMilliseconds;
        while (true)
        {
            if (server.HasExited) throw new InvalidOperationException($"postgres exited with {server.ExitCode}:\n{ServerLog()}");
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
                await connection.OpenAsync();
                return;
            }
            catch (NpgsqlException) when (Environment.TickCount64 < deadline)
            {
                // Not listening yet, or "the database system is starting up".
                await Task.Delay(50);
            }
        }
    }

    private string ServerLog()
    {
        lock (_serverLog) return _serverLog.ToString();
    }

    private static (string File, string[] Args) AsPostgres(string file, params string[] args) =>
        AsPostgresUser ? ("runuser", ["-u", "postgres", "--", file, .. args]) : (file, args);

    private static Task RunAsync((string File, string[] Args) command) => RunAsync(command.File, command.Args);

    private static async Task RunAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}:\n{await output}\n{await error}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Net.Sockets;

namespace Router.Tests.Hosting;

/// <summary>
/// A stand-in for systemd's notify socket: a unix datagram socket bound at a temporary path
/// (what NOTIFY_SOCKET names), collecting every message the router sends, in order.
/// </summary>
internal sealed class NotifySocket : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly List<string> _messages = [];
    private readonly Dictionary<string, string?> _notes = [];
    private readonly Task _receiving;
    private readonly Func<string, string?>? _onMessage;

    /// <param name="onMessage">Runs on the receiving thread as each message arrives, before the next is read;
    /// what it returns is kept beside the message (e.g. whether the router's port accepted a connection then).</param>
    public NotifySocket(Func<string, string?>? onMessage = null)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"notify-{Guid.NewGuid():N}.sock");
        _onMessage = onMessage;
        _socket.Bind(new UnixDomainSocketEndPoint(Path));
        _receiving = Task.Factory.StartNew(Receive, TaskCreationOptions.LongRunning);
    }

    public string Path { get; }

    public IReadOnlyList<string> Messages
    {
        get
        {
            lock (_messages) return [.. _messages];
        }
    }

    public int Count(string message) => Messages.Count(m => m == message);

    /// <summary>What <c>onMessage</c> returned for the first message equal to <paramref name="message"/>.</summary>
    public string? NoteOf(string message)
    {
        lock (_messages) return _notes.GetValueOrDefault(message);
    }

    public void Dispose()
    {
        _socket.Dispose();
        _receiving.Wait(TimeSpan.FromSeconds(5));
        File.Delete(Path);
    }

    private void Receive()
    {
        var buffer = new byte[4096];
        while (true)
        {
            int length;
            try
            {
                length = _socket.Receive(buffer);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
            // One datagram may carry several newline-separated assignments (sd_notify(3)).
            foreach (var message in System.Text.Encoding.UTF8.GetString(buffer, 0, length).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var note = _onMessage?.Invoke(message);
                lock (_messages)
                {
                    _notes.TryAdd(message, note);
                    _messages.Add(message);
                }
            }
        }
    }
}

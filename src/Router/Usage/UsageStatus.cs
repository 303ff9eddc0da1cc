namespace GpuRouter.Usage;

/// <summary>
/// What the writer last learned about PostgreSQL, for /admin/usage. Written by the writer only,
/// read from request threads.
/// </summary>
internal sealed class UsageStatus
{
    private readonly Lock _gate = new();
    private bool _connected;
    private int _schemaVersion;
    private string? _lastError;
    private DateTimeOffset? _lastErrorAt;
    private long _written;
    private long _rejected;

    /// <summary>The last database operation succeeded (false until the first one has).</summary>
    public bool Connected { get { lock (_gate) return _connected; } }

    /// <summary>Schema version once migrations ran; 0 before.</summary>
    public int SchemaVersion { get { lock (_gate) return _schemaVersion; } }

    public long Written => Interlocked.Read(ref _written);

    /// <summary>Events PostgreSQL refused as data (never retried, see UsageWriter).</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    public (string? Message, DateTimeOffset? At) LastError
    {
        get { lock (_gate) return (_lastError, _lastErrorAt); }
    }

    public void Migrated(int version)
    {
        lock (_gate)
        {
            _connected = true;
            _schemaVersion = version;
        }
    }

    public void Wrote(int count)
    {
        Interlocked.Add(ref _written, count);
        lock (_gate) _connected = true;
    }

    public void Failed(string error, DateTimeOffset at)
    {
        lock (_gate)
        {
            _connected = false;
            _lastError = error;
            _lastErrorAt = at;
        }
    }

    public void RejectedBatch(int count, string error, DateTimeOffset at)
    {
        Interlocked.Add(ref _rejected, count);
        // The server answered, so the connection is fine; the error is still worth showing.
        lock (_gate)
        {
            _connected = true;
            _lastError = error;
            _lastErrorAt = at;
        }
    }
}

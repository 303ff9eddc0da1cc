namespace GpuRouter.Admission;

/// <summary>
/// One occupied slot of an <see cref="InstanceGate"/>. A struct over a pooled
/// <see cref="LeaseToken"/> plus the token's version at issue time, so that the hot path
/// allocates nothing and a second Dispose (of this copy or any other copy) finds the version
/// moved on and does nothing, even after the token was reused for a later request.
/// </summary>
internal readonly struct AdmissionLease : IDisposable
{
    private readonly LeaseToken? _token;
    private readonly long _version;

    internal AdmissionLease(LeaseToken token, long version, TimeSpan queueWait)
    {
        _token = token;
        _version = version;
        QueueWait = queueWait;
    }

    /// <summary>How long the request waited in the queue; zero when a slot was free.</summary>
    public TimeSpan QueueWait { get; }

    /// <summary>True while this lease still holds its slot.</summary>
    public bool IsHeld => _token is not null && _token.Version == _version;

    public void Dispose() => _token?.Return(_version);
}

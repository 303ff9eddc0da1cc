namespace GpuRouter.Admission;

/// <summary>
/// The pooled, reusable half of an <see cref="AdmissionLease"/>. Its version counts releases:
/// a lease may release only while the version it captured is current, and the compare-exchange
/// makes "exactly once" hold even when two threads dispose copies of the same lease together.
/// </summary>
internal sealed class LeaseToken(InstanceGate gate)
{
    private long _version;

    public long Version => Volatile.Read(ref _version);

    /// <summary>When the current holder was granted its slot, for the hold-time average.</summary>
    public long GrantedAt { get; set; }

    public void Return(long version)
    {
        if (Interlocked.CompareExchange(ref _version, version + 1, version) == version)
        {
            gate.Release(this);
        }
    }
}

namespace GpuRouter.Admission;

/// <summary>
/// The outcome of <see cref="InstanceGate.AcquireAsync"/>: a granted lease or a refusal. A
/// struct so that the uncontended path returns it inside a completed ValueTask without touching
/// the heap. A refused admission's <see cref="Lease"/> is default and disposing it does nothing,
/// so callers may dispose unconditionally.
/// </summary>
/// <remarks>
/// The type shares its name with its namespace. Inside another <c>GpuRouter.*</c> namespace the
/// simple name <c>Admission</c> finds the namespace first; use <c>var</c> or an alias such as
/// <c>using AdmissionResult = GpuRouter.Admission.Admission;</c> there.
/// </remarks>
internal readonly struct Admission
{
    private Admission(AdmissionLease lease)
    {
        Lease = lease;
    }

    private Admission(AdmissionRefusal refusal, int retryAfterSeconds)
    {
        Refusal = refusal;
        RetryAfterSeconds = retryAfterSeconds;
    }

    public bool IsGranted => Refusal is null;

    public AdmissionLease Lease { get; }

    /// <summary>Null when granted.</summary>
    public AdmissionRefusal? Refusal { get; }

    /// <summary>Suggested Retry-After in whole seconds (at least 1) when refused; 0 when granted.</summary>
    public int RetryAfterSeconds { get; }

    public static Admission Granted(AdmissionLease lease) => new(lease);

    public static Admission Refused(AdmissionRefusal refusal, int retryAfterSeconds) =>
        new(refusal, Math.Max(1, retryAfterSeconds));

    public override string ToString() =>
        IsGranted ? $"Granted after {Lease.QueueWait}" : $"Refused {Refusal} (retry after {RetryAfterSeconds}s)";
}

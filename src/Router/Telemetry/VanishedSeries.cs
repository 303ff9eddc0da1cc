namespace GpuRouter.Telemetry;

/// <summary>
/// Series set before each scrape from a reading of live state (instances, GPUs). Remembers the
/// keys the last reading wrote, so that a key the next reading lacks is removed instead of being
/// exported at its last value forever. Scrapes may overlap; one update runs at a time.
/// </summary>
internal sealed class VanishedSeries(Action<string> remove)
{
    private readonly Lock gate = new();
    private HashSet<string> written = new(StringComparer.Ordinal);

    /// <param name="write">Sets the series of the current reading and returns their keys.</param>
    public void Update(Func<HashSet<string>> write)
    {
        lock (gate)
        {
            var current = write();
            foreach (var key in written)
            {
                if (!current.Contains(key))
                {
                    remove(key);
                }
            }

            written = current;
        }
    }
}

namespace GpuRouter.Usage;

/// <summary>One client's tally of one day; a later day replaces it, an earlier one is ignored.</summary>
internal sealed class DayTally
{
    private readonly Lock _gate = new();
    private DateOnly _day;
    private long _tokens;

    public void Add(DateOnly day, long tokens)
    {
        lock (_gate)
        {
            if (day > _day)
            {
                _day = day;
                _tokens = 0;
            }
            if (day == _day) _tokens += tokens;
        }
    }

    public long Read(DateOnly today)
    {
        lock (_gate) return _day == today ? _tokens : 0;
    }
}

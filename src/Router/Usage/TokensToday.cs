using System.Collections.Concurrent;

namespace GpuRouter.Usage;

/// <summary>
/// Each client's prompt plus completion tokens of the current calendar day in schedule.timeZone,
/// from the usage the router records (and, with PostgreSQL, what an earlier run recorded today:
/// <see cref="TokensTodayLoader"/>). The day turns at local midnight: a read after it is 0 until
/// the new day's first usage arrives. What <c>tokensPerDay</c> is checked against.
/// </summary>
internal sealed class TokensToday(TimeZoneInfo zone, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, DayTally> _clients = new(StringComparer.Ordinal);

    public TimeZoneInfo Zone => zone;

    public void Add(string client, long tokens, DateTimeOffset at)
    {
        if (tokens <= 0) return;
        For(client).Add(LocalDay(at), tokens);
    }

    /// <summary>Tokens the client used today, as of now.</summary>
    public long Read(string client) => _clients.TryGetValue(client, out var day) ? day.Read(LocalDay(time.GetUtcNow())) : 0;

    /// <summary>Adds an earlier run's tokens of <paramref name="day"/>; nothing when that day is already over.</summary>
    public void Seed(IReadOnlyDictionary<string, long> tokens, DateOnly day)
    {
        foreach (var (client, sum) in tokens) For(client).Add(day, sum);
    }

    public DateOnly LocalDay(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);

    /// <summary>The start of <paramref name="day"/> in the zone, as an instant.</summary>
    public DateTimeOffset StartOf(DateOnly day)
    {
        var midnight = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        // Where a clock change skips midnight (some zones switch at 00:00), the day starts at the first valid minute.
        while (zone.IsInvalidTime(midnight)) midnight = midnight.AddMinutes(15);
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(midnight, zone), TimeSpan.Zero);
    }

    /// <summary>How long until the next local midnight: when a spent budget is whole again.</summary>
    public TimeSpan UntilMidnight()
    {
        var now = time.GetUtcNow();
        var next = StartOf(LocalDay(now).AddDays(1)) - now;
        return next > TimeSpan.Zero ? next : TimeSpan.FromSeconds(1);
    }

    private DayTally For(string client) => _clients.GetOrAdd(client, static _ => new DayTally());
}

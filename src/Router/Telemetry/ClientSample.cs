namespace GpuRouter.Telemetry;

/// <summary>One configured client's live state at a scrape.</summary>
/// <param name="Held">Its requests in the router now, queued or in flight.</param>
/// <param name="TokensToday">Its prompt plus completion tokens of the current day.</param>
public readonly record struct ClientSample(string Client, int Held, long TokensToday);

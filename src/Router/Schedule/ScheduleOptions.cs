namespace GpuRouter.Schedule;

/// <summary>The <c>schedule</c> section: when night starts and ends; and <c>state.dir</c>, where the mode override is kept.</summary>
public sealed record ScheduleOptions(TimeZoneInfo TimeZone, string NightStart, string NightEnd, string StateDir);

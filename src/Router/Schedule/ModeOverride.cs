namespace GpuRouter.Schedule;

/// <summary>The admin's override: follow the schedule, or hold day or night until told otherwise.</summary>
public enum ModeOverride { Auto, Day, Night }

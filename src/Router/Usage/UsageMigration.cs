namespace GpuRouter.Usage;

/// <summary>One numbered schema change, e.g. 1 from "001_usage_events.sql".</summary>
internal sealed record UsageMigration(int Version, string Name, string Sql);

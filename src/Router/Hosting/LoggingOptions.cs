namespace GpuRouter.Hosting;

/// <param name="Level"><c>logging.level</c>: Verbose, Debug, Information, Warning, Error or Fatal.</param>
/// <param name="File"><c>logging.file</c>, absolute: a daily rolling file beside the console; null: console only.</param>
public sealed record LoggingOptions(string Level, string? File);

namespace GpuRouter.Cli;

/// <summary>Why a command ends without doing its job: one line for stderr and the exit code.</summary>
internal sealed record CliFailure(int ExitCode, string Message);

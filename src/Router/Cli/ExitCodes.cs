namespace GpuRouter.Cli;

/// <summary>
/// The command line's exit codes: scripts rely on them, so they never change meaning
/// (docs/cli.md lists them). 2 is also the daemon's exit code for an invalid config, which
/// systemd's RestartPreventExitStatus=2 relies on.
/// </summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The router answered with an error, or the action did not happen (unknown instance, a wait that ended Failed).</summary>
    public const int Failed = 1;

    /// <summary>A wrong command, option or argument; or check-config found the config invalid.</summary>
    public const int Usage = 2;

    /// <summary>The router could not be reached: nothing listens, a timeout, or not an HTTP answer.</summary>
    public const int Unreachable = 3;

    /// <summary>The admin key is missing or refused (401), or the router refused this address or key (403).</summary>
    public const int Refused = 4;
}

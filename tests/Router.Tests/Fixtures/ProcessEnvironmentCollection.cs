namespace Router.Tests.Fixtures;

/// <summary>
/// Tests that set variables of this test process (NOTIFY_SOCKET, WATCHDOG_USEC) for an in-process
/// router: run alone, after the parallel ones, so no other router in the process reads them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection
{
    public const string Name = "Process environment";
}

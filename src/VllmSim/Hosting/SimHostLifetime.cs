using Microsoft.Extensions.Hosting;

namespace VllmSim.Hosting;

/// <summary>
/// Leaves signals alone: in-process the test host owns Ctrl+C and SIGTERM, and the program
/// handles them itself so the loading phase (before the host exists) obeys them too.
/// </summary>
internal sealed class SimHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

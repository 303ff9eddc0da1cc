using System.Diagnostics;

namespace Router.Tests.Gpu;

/// <summary>
/// Waits for work the test started on another thread (a timer tick handed to the poll loop).
/// The clock is manual; only the hand-off between threads is waited for, with a generous bound.
/// </summary>
internal static class Eventually
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    public static async Task True(Func<bool> condition)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < Limit, $"the condition did not become true within {Limit}");
            await Task.Delay(5);
        }
    }
}

namespace Router.Tests.Admission;

/// <summary>
/// Random acquire / cancel / timeout / release / SetLimit / reserve / close sequences against
/// one gate on a fake clock, checking after every step that the gate's counts match what the
/// test holds, that the limit is only exceeded by a lowering, that waiters are served by
/// priority then arrival, that no slot sits free while someone waits, and that every timer is
/// disposed once its waiter is gone. A failure names the seed and sequence to replay.
/// </summary>
public sealed class InstanceGatePropertyTests
{
    private const int SequencesPerSeed = 1000;
    private const int StepsPerSequence = 60;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(20250101)]
    [InlineData(987654321)]
    public void RandomSequences_KeepEveryInvariant(int seed)
    {
        for (var sequence = 0; sequence < SequencesPerSeed; sequence++)
        {
            // Plain arithmetic, not HashCode.Combine: that is salted per process and would not replay.
            var run = new GateModelRun(new Random(unchecked((seed * 1_000_003) + sequence)));
            try
            {
                run.Execute(StepsPerSequence);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Assert.Fail($"seed {seed}, sequence {sequence}: {ex.Message}\n{run.Log}");
            }
        }
    }
}

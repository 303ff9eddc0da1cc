using GpuRouter.Failures;
using GpuRouter.Security;
using GpuRouter.Usage;

namespace GpuRouter.Requests;

/// <summary>
/// A client's own limits, checked once its request is routed and before it takes a slot or a
/// queue place: its <c>tokensPerDay</c> against what it used today (requests already in flight
/// are never cut and may overshoot by their own size), then a place in its <c>maxConcurrent</c>.
/// </summary>
internal sealed class ClientAdmission(ClientHolds holds, TokensToday tokens)
{
    /// <summary>How soon a client at its maxConcurrent may try again: its own requests are what must finish.</summary>
    private static readonly TimeSpan HeldRetry = TimeSpan.FromSeconds(1);

    /// <param name="hold">The request's place; dispose it when the request is over.</param>
    public Failure? TryAdmit(ClientIdentity client, out ClientHold hold)
    {
        hold = default;
        if (client.TokensPerDay is { } budget && tokens.Read(client.Name) is var used && used >= budget)
        {
            return Failure.RateLimited(
                $"Client '{client.Name}' has used its {budget} tokens for today ({used} used). The budget renews at midnight ({tokens.Zone.Id}).",
                tokens.UntilMidnight(), code: "budget_exceeded");
        }
        if (!holds.TryHold(client.Name, out hold))
        {
            return Failure.RateLimited(
                $"Client '{client.Name}' already has {client.MaxConcurrent} requests in the router (maxConcurrent). Retry when one has finished.",
                HeldRetry, code: "concurrency_limit_exceeded");
        }
        return null;
    }
}

using GpuRouter.Configuration;
using System.Globalization;

namespace GpuRouter.Hosting;

/// <summary>Checks <c>host:</c> and a model's <c>sleep:</c>; adds to the shared error list, each naming its key.</summary>
internal static class SleepValidator
{
    public static HostMemoryOptions Host(HostMemorySection? host, List<string> errors)
    {
        if (host is null) return HostMemoryOptions.Default;
        long? budget = null;
        if (host.MemoryBudget is { } text)
        {
            if (ByteSize.TryParse(text, out var bytes)) budget = bytes;
            else errors.Add($"host.memoryBudget: '{text}' is not a memory size (e.g. 96GiB)");
        }
        var margin = HostMemoryOptions.DefaultMarginBytes;
        if (host.MemoryMargin is { } marginText && !ByteSize.TryParse(marginText, out margin))
        {
            errors.Add($"host.memoryMargin: '{marginText}' is not a memory size (e.g. 2GiB)");
            margin = HostMemoryOptions.DefaultMarginBytes;
        }
        return new HostMemoryOptions(budget, margin);
    }

    public static SleepOptions? Sleep(SleepSection? sleep, string key, TimeSpan ttl, bool endpointOnly, List<string> errors)
    {
        if (sleep is null) return null;
        var ok = true;
        if (endpointOnly) { errors.Add($"{key}: a model that is only an endpoint is never started, so it cannot sleep"); ok = false; }
        var level = sleep.Level ?? 1;
        if (level is not (1 or 2)) { errors.Add($"{key}.level: {level} is not 1 (weights kept in host RAM) or 2 (weights dropped, reloaded on wake)"); ok = false; }
        long hostMemory = 0;
        if (sleep.HostMemory is { } text)
        {
            if (!ByteSize.TryParse(text, out hostMemory)) { errors.Add($"{key}.hostMemory: '{text}' is not a memory size (e.g. 16GiB)"); ok = false; }
        }
        else if (level == 1)
        {
            errors.Add($"{key}.hostMemory: is required at level 1 (the RAM the weights take while asleep, e.g. 16GiB for an 8B model in 16-bit)");
            ok = false;
        }
        var residual = sleep.ResidualShare ?? 0.05;
        if (residual is < 0 or >= 1 || double.IsNaN(residual))
        {
            errors.Add($"{key}.residualShare: {residual.ToString(CultureInfo.InvariantCulture)} is not in [0, 1)");
            ok = false;
        }
        TimeSpan? after = null;
        if (sleep.After is { } afterText)
        {
            if (!Duration.TryParse(afterText, out var value) || value <= TimeSpan.Zero) { errors.Add($"{key}.after: '{afterText}' is not a positive duration (e.g. 10m)"); ok = false; }
            else if (value >= ttl) { errors.Add($"{key}.after: {Duration.Format(value)} must be shorter than the model's ttl ({Duration.Format(ttl)}), or it would be stopped before it sleeps"); ok = false; }
            else after = value;
        }
        return ok ? new SleepOptions(level, hostMemory, residual, after) : null;
    }

    /// <summary>The complaint when a sleeper would hold as much as it does awake (compared in thousandths).</summary>
    public static string? ResidualTooLarge(SleepOptions? sleep, double share) =>
        sleep is not null && Thousandths.Of(sleep.ResidualShare) >= Thousandths.Of(share)
            ? $"{share.ToString(CultureInfo.InvariantCulture)} must be larger than the model's sleep.residualShare ({sleep.ResidualShare.ToString(CultureInfo.InvariantCulture)}), or sleeping frees nothing"
            : null;
}

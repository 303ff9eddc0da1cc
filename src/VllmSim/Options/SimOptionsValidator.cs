using System.Net;

namespace VllmSim.Options;

/// <summary>Range checks for <see cref="SimOptions"/>; every problem is reported, not just the first.</summary>
internal static class SimOptionsValidator
{
    public const int MaxEmbeddingDim = 65536;

    public static List<string> Check(SimOptions o)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(o.Model))
        {
            errors.Add("--model must not be empty");
        }
        if (o.ServedModelNames.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add("--served-model-name values must not be empty");
        }
        if (o.Host is not null && !IsBindable(o.Host))
        {
            errors.Add($"--host must be an IP address, 'localhost' or empty, got '{o.Host}'");
        }
        Range(errors, "port", o.Port, 0, 65535);
        Range(errors, "max-model-len", o.MaxModelLen, 1, int.MaxValue);
        Range(errors, "max-num-seqs", o.MaxNumSeqs, 1, 1_000_000);
        if (!(o.GpuMemoryUtilization > 0 && o.GpuMemoryUtilization <= 1))
        {
            errors.Add($"--gpu-memory-utilization must be in (0, 1], got {o.GpuMemoryUtilization}");
        }
        Range(errors, "tensor-parallel-size", o.TensorParallelSize, 1, 64);
        NonNegative(errors, "load-seconds", o.LoadSeconds);
        NonNegative(errors, "ttft-ms", o.TtftMs);
        NonNegative(errors, "itl-ms", o.ItlMs);
        NonNegative(errors, "prefill-us-per-token", o.PrefillUsPerToken);
        NonNegative(errors, "sleep-seconds", o.SleepSeconds);
        NonNegative(errors, "wake-seconds", o.WakeSeconds);
        NonNegative(errors, "reload-seconds", o.ReloadSeconds);
        Range(errors, "embedding-dim", o.EmbeddingDim, 1, MaxEmbeddingDim);
        if (o.ExitAfterRequests is { } n)
        {
            Range(errors, "exit-after-requests", n, 1, int.MaxValue);
        }
        Range(errors, "exit-code", o.ExitCode, 0, 255);
        Range(errors, "default-max-tokens", o.DefaultMaxTokens, 1, int.MaxValue);
        return errors;
    }

    private static bool IsBindable(string host) =>
        host.Length == 0 || host == "localhost" || IPAddress.TryParse(host, out _);

    private static void Range(List<string> errors, string flag, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add(max == int.MaxValue
                ? $"--{flag} must be at least {min}, got {value}"
                : $"--{flag} must be between {min} and {max}, got {value}");
        }
    }

    // Timing values bounded to a day: a longer delay is a typo, and TimeSpan math stays in range.
    private static void NonNegative(List<string> errors, string flag, double value)
    {
        if (!(value >= 0) || value > 86_400_000)
        {
            errors.Add($"--{flag} must be a number from 0 up, got {value}");
        }
    }
}

using System.Globalization;
using Microsoft.Extensions.Logging;

namespace VllmSim.Options;

/// <summary>Turns the flags the simulator knows into typed <see cref="SimOptions"/> values.</summary>
internal static class SimFlagReader
{
    /// <summary>Flags with no vLLM twin; each can also come from SIM_NAME_IN_CAPS.</summary>
    public static readonly string[] SimulationFlags =
    [
        "load-seconds", "ttft-ms", "itl-ms", "prefill-us-per-token", "embedding-dim", "exit-after-requests",
        "exit-code", "sleep-seconds", "wake-seconds", "reload-seconds", "wake-fault", "default-max-tokens",
        "log-level", "sim-gpu-memory",
    ];

    /// <summary>vLLM's boolean switches the simulator acts on; they take no value.</summary>
    public static readonly string[] Switches = ["enable-sleep-mode", "enable-auto-tool-choice"];

    private static readonly HashSet<string> VllmFlags = new(StringComparer.Ordinal)
    {
        "model", "host", "port", "max-model-len", "max-num-seqs", "gpu-memory-utilization",
        "tensor-parallel-size", "quantization", "dtype", "tool-call-parser", "api-key",
    };

    public static bool IsKnown(string flag) => VllmFlags.Contains(flag) || SimulationFlags.Contains(flag);

    public static bool IsSwitch(string flag) => Switches.Contains(flag);

    public static string EnvironmentName(string flag) =>
        "SIM_" + flag.Replace('-', '_').ToUpperInvariant();

    public static void Apply(IReadOnlyDictionary<string, string> values, SimOptions options, List<string> errors)
    {
        foreach (var (flag, raw) in values)
        {
            switch (flag)
            {
                case "model": break; // resolved with the positional model by the parser
                case "host": options.Host = raw; break;
                case "port": Int(flag, raw, errors, v => options.Port = v); break;
                case "max-model-len": ModelLen(flag, raw, errors, v => options.MaxModelLen = v); break;
                case "max-num-seqs": Int(flag, raw, errors, v => options.MaxNumSeqs = v); break;
                case "gpu-memory-utilization": Double(flag, raw, errors, v => options.GpuMemoryUtilization = v); break;
                case "tensor-parallel-size": Int(flag, raw, errors, v => options.TensorParallelSize = v); break;
                case "quantization": options.Quantization = raw; break;
                case "dtype": options.Dtype = raw; break;
                case "tool-call-parser": options.ToolCallParser = raw; break;
                case "api-key": options.ApiKey = raw; break;
                case "enable-sleep-mode": options.EnableSleepMode = true; break;
                case "enable-auto-tool-choice": options.EnableAutoToolChoice = true; break;
                case "sim-gpu-memory": Size(flag, raw, errors, v => options.SimGpuMemoryBytes = v); break;
                case "load-seconds": Double(flag, raw, errors, v => options.LoadSeconds = v); break;
                case "ttft-ms": Double(flag, raw, errors, v => options.TtftMs = v); break;
                case "itl-ms": Double(flag, raw, errors, v => options.ItlMs = v); break;
                case "prefill-us-per-token": Double(flag, raw, errors, v => options.PrefillUsPerToken = v); break;
                case "embedding-dim": Int(flag, raw, errors, v => options.EmbeddingDim = v); break;
                case "exit-after-requests": Int(flag, raw, errors, v => options.ExitAfterRequests = v == 0 ? null : v); break;
                case "exit-code": Int(flag, raw, errors, v => options.ExitCode = v); break;
                case "sleep-seconds": Double(flag, raw, errors, v => options.SleepSeconds = v); break;
                case "wake-seconds": Double(flag, raw, errors, v => options.WakeSeconds = v); break;
                case "reload-seconds": Double(flag, raw, errors, v => options.ReloadSeconds = v); break;
                case "wake-fault": Fault(raw, errors, v => options.WakeFault = v); break;
                case "default-max-tokens": Int(flag, raw, errors, v => options.DefaultMaxTokens = v); break;
                case "log-level": Level(raw, errors, v => options.LogLevel = v); break;
                default: errors.Add($"--{flag} is not handled"); break;
            }
        }
    }

    private static void Int(string flag, string raw, List<string> errors, Action<int> set)
    {
        if (int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            set(value);
        }
        else
        {
            errors.Add($"--{flag} must be a whole number, got '{raw}'");
        }
    }

    private static void Double(string flag, string raw, List<string> errors, Action<double> set)
    {
        if (double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            set(value);
        }
        else
        {
            errors.Add($"--{flag} must be a number, got '{raw}'");
        }
    }

    // vLLM reads "32k" as 32,000 and "32K" as 32,768 (lower case decimal, upper case binary).
    private static void ModelLen(string flag, string raw, List<string> errors, Action<int> set)
    {
        var multiplier = raw.Length > 1 ? raw[^1] switch
        {
            'k' => 1e3,
            'm' => 1e6,
            'g' => 1e9,
            'K' => 1024d,
            'M' => 1024d * 1024,
            'G' => 1024d * 1024 * 1024,
            _ => 1d,
        } : 1d;
        var number = multiplier == 1d ? raw : raw[..^1];
        if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && double.IsFinite(value) && value * multiplier <= int.MaxValue && value * multiplier == Math.Floor(value * multiplier))
        {
            set((int)(value * multiplier));
        }
        else
        {
            errors.Add($"--{flag} must be a whole number of tokens such as 8192, 32k or 32K, got '{raw}'");
        }
    }

    // 24GiB, 24576MiB, 24GB or bytes, as a card's memory is written.
    private static void Size(string flag, string raw, List<string> errors, Action<long> set)
    {
        (string Unit, double Factor)[] units = [("GiB", 1L << 30), ("MiB", 1L << 20), ("GB", 1e9), ("MB", 1e6), ("", 1)];
        var (unit, factor) = units.First(u => raw.EndsWith(u.Unit, StringComparison.Ordinal));
        if (double.TryParse(raw[..^unit.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 && value * factor < long.MaxValue)
        {
            set((long)(value * factor));
        }
        else
        {
            errors.Add($"--{flag} must be a size such as 24GiB, got '{raw}'");
        }
    }

    private static void Fault(string raw, List<string> errors, Action<WakeFault> set)
    {
        WakeFault? fault = raw.ToLowerInvariant() switch
        {
            "none" or "" => WakeFault.None,
            "error" => WakeFault.Error,
            "hang" => WakeFault.Hang,
            "stays-asleep" => WakeFault.StaysAsleep,
            _ => null,
        };
        if (fault is { } value)
        {
            set(value);
        }
        else
        {
            errors.Add($"--wake-fault must be one of none, error, hang, stays-asleep, got '{raw}'");
        }
    }

    private static void Level(string raw, List<string> errors, Action<LogLevel> set)
    {
        LogLevel? level = raw.ToLowerInvariant() switch
        {
            "trace" => LogLevel.Trace,
            "debug" => LogLevel.Debug,
            "info" or "information" => LogLevel.Information,
            "warn" or "warning" => LogLevel.Warning,
            "error" => LogLevel.Error,
            "critical" or "fatal" => LogLevel.Critical,
            _ => null,
        };
        if (level is { } value)
        {
            set(value);
        }
        else
        {
            errors.Add($"--log-level must be one of trace, debug, info, warning, error, critical, got '{raw}'");
        }
    }
}

namespace VllmSim.Options;

/// <summary>
/// Reads vLLM's command line: the model as a positional argument or <c>--model</c>,
/// <c>--flag value</c> and <c>--flag=value</c>, and any flag it does not know, so that a real
/// vLLM container spec runs unchanged.
/// </summary>
internal static class SimArgsParser
{
    // vLLM's boolean switches: they take no value, so the token after them is not theirs.
    private static readonly HashSet<string> KnownSwitches = new(StringComparer.Ordinal)
    {
        "trust-remote-code", "enforce-eager", "enable-prefix-caching", "enable-chunked-prefill",
        "disable-log-requests", "disable-log-stats", "enable-log-requests", "enable-auto-tool-choice",
        "enable-lora", "enable-sleep-mode", "disable-custom-all-reduce", "disable-frontend-multiprocessing",
        "disable-fastapi-docs", "enable-prompt-tokens-details", "enable-server-load-tracking",
        "enable-force-include-usage", "enable-request-id-headers", "disable-uvicorn-access-log",
        "headless", "skip-tokenizer-init", "async-scheduling", "enable-expert-parallel",
    };

    public static SimOptions Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var flag in SimFlagReader.SimulationFlags)
        {
            var fromEnvironment = environment(SimFlagReader.EnvironmentName(flag));
            if (!string.IsNullOrWhiteSpace(fromEnvironment))
            {
                values[flag] = fromEnvironment.Trim();
            }
        }

        var errors = new List<string>();
        var servedNames = new List<string>();
        var ignored = new List<string>();
        var unrecognized = new List<string>();
        string? positionalModel = null;

        for (var i = 0; i < args.Count; i++)
        {
            var token = ExpandShortFlag(args[i]);
            if (!IsFlag(token))
            {
                if (positionalModel is null)
                {
                    positionalModel = token;
                }
                else
                {
                    errors.Add($"unexpected argument '{token}' (the model is already '{positionalModel}')");
                }
                continue;
            }

            var name = token[2..];
            string? inline = null;
            var equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                inline = name[(equals + 1)..];
                name = name[..equals];
            }

            if (name == "served-model-name")
            {
                if (inline is not null)
                {
                    servedNames.Add(inline);
                }
                while (IsValueAt(args, i + 1))
                {
                    servedNames.Add(args[++i]);
                }
                if (servedNames.Count == 0)
                {
                    errors.Add("--served-model-name needs at least one name");
                }
                continue;
            }

            // Removed from vLLM (pooling models are recognised from their config): argparse refuses it.
            if (name == "task")
            {
                unrecognized.Add(inline is null && IsValueAt(args, i + 1) ? $"--task {args[++i]}" : token);
                continue;
            }

            if (SimFlagReader.IsSwitch(name))
            {
                values[name] = inline ?? "true";
                continue;
            }

            if (SimFlagReader.IsKnown(name))
            {
                var value = inline ?? (IsValueAt(args, i + 1) ? args[++i] : null);
                if (value is null)
                {
                    errors.Add($"--{name} needs a value");
                }
                else
                {
                    values[name] = value;
                }
                continue;
            }

            // Unknown to the simulator but maybe valid for vLLM: keep its value off the positionals.
            if (inline is null && !IsSwitch(name) && IsValueAt(args, i + 1))
            {
                ignored.Add($"--{name} {args[++i]}");
            }
            else
            {
                ignored.Add(inline is null ? $"--{name}" : $"--{name}={inline}");
            }
        }

        if (unrecognized.Count > 0)
        {
            throw new UnrecognizedArgumentsException(unrecognized);
        }

        var options = new SimOptions
        {
            ServedModelNames = servedNames,
            IgnoredFlags = ignored,
            ModelFromFlag = values.ContainsKey("model"),
            ServerDevMode = DevMode(environment("VLLM_SERVER_DEV_MODE"), errors),
            // vLLM takes the key from --api-key or, without it, from VLLM_API_KEY.
            ApiKey = environment("VLLM_API_KEY") is { Length: > 0 } key ? key : null,
        };
        if (values.TryGetValue("model", out var flagModel) && positionalModel is not null && flagModel != positionalModel)
        {
            errors.Add($"the model is given twice: '{positionalModel}' and --model '{flagModel}'");
        }
        var model = positionalModel ?? flagModel;
        if (model is not null)
        {
            if (string.IsNullOrWhiteSpace(model))
            {
                errors.Add("--model must not be empty");
            }
            options.Model = model;
        }

        SimFlagReader.Apply(values, options, errors);
        errors.AddRange(SimOptionsValidator.Check(options));
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, errors.Distinct()));
        }
        return options;
    }

    // vLLM reads it as bool(int(value)): "1" on, "0" or unset off, anything else fails its start.
    private static bool DevMode(string? raw, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return false;
        }
        if (int.TryParse(raw.Trim(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value))
        {
            return value != 0;
        }
        errors.Add($"VLLM_SERVER_DEV_MODE must be a whole number (1 on, 0 off), got '{raw}'");
        return false;
    }

    // vLLM's short aliases; other single-dash tokens stay positional (a model path may start with '-').
    private static string ExpandShortFlag(string token) => token switch
    {
        "-tp" => "--tensor-parallel-size",
        "-q" => "--quantization",
        "-pp" => "--pipeline-parallel-size",
        "-dp" => "--data-parallel-size",
        _ => token,
    };

    private static bool IsValueAt(IReadOnlyList<string> args, int index) =>
        index < args.Count && !IsFlag(ExpandShortFlag(args[index]));

    private static bool IsFlag(string token) => token.StartsWith("--", StringComparison.Ordinal) && token.Length > 2;

    private static bool IsSwitch(string name) =>
        KnownSwitches.Contains(name) || name.StartsWith("no-", StringComparison.Ordinal)
        || name.StartsWith("enable-", StringComparison.Ordinal) || name.StartsWith("disable-", StringComparison.Ordinal);
}

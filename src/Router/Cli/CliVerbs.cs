namespace GpuRouter.Cli;

/// <summary>Every command of the command line, in the order the help lists them.</summary>
internal static class CliVerbs
{
    private static readonly string[] None = [];
    private static readonly string[] Wait = ["--wait"];
    private static readonly string[] Timeout = ["--timeout DURATION"];

    public static IReadOnlyList<CliVerb> All { get; } =
    [
        new("status", "", "the mode, the GPUs and every instance with its state and load",
            """
            The mode (GET /admin/mode), then from one reading of GET /health each GPU (its role, the
            share of it reserved, NVML's memory reading, utilisation and temperature, the instances
            placed on it) and each instance: state, requests in flight / its limit, queued, last
            used, restarts and the last error. --json prints {"mode": ..., "health": ...}.
            """, Remote: true, None, None, 0, 0, StatusCommand.RunAsync),
        Instance("start", "start an instance now, before a request needs it", "Ready"),
        Instance("stop", "drain an instance (requests in flight finish) and stop it", "Stopped"),
        Instance("sleep", "put an instance to sleep (vLLM sleep mode: its GPU memory is freed)", "Sleeping"),
        Instance("wake", "wake a sleeping instance", "Ready"),
        new("mode", "[auto|day|night]", "show the mode, or set the override (auto follows the schedule)",
            """
            Without an argument: the mode, the override, the next scheduled switch and the last
            switch (GET /admin/mode). With one: PUT /admin/mode {"override": ...}. day or night holds
            that mode (and survives a router restart) until 'gpu-router mode auto'.
            """, Remote: true, None, None, 0, 1, ModeCommand.RunAsync),
        new("usage", "", "requests and tokens per client and model",
            """
            GET /admin/usage: requests, errors, prompt and completion tokens per client and model
            since the router started, and the state of the PostgreSQL usage log.
              --by client|model|user   one row per client, per model, or per end user (user needs a
                                       router that records Open WebUI's users)
              --since WHEN             a duration back from now (24h, 7d) or a date (2026-03-01)
                                       or time (2026-03-01T08:00, local unless it gives its offset)
            """, Remote: true, ["--by client|model|user", "--since WHEN"], None, 0, 0, UsageCommand.RunAsync),
        new("gpus", "", "the GPUs as NVML reads them now",
            """
            GET /admin/gpus, read from NVML at this moment: each GPU's name, role, the share the
            router has reserved, memory used/total, utilisation, temperature, power, and the
            instances placed on it with their state.
            """, Remote: true, None, None, 0, 0, GpusCommand.RunAsync),
        new("hash-key", "[KEY|-]", "a new random key (or KEY; - reads it from stdin) and its keySha256",
            """
            Without KEY: a new random key (64 hex digits) and its keySha256. With KEY (or - to read
            it from stdin, so it stays out of the shell's history): its keySha256, the same as
            printf %s KEY | sha256sum. Put keySha256 in a clients[] entry of router.yaml.
            """, Remote: false, None, None, 0, 1, HashKeyCommand.RunAsync),
        new("check-config", "FILE", "check a config as the router does at start-up, starting nothing",
            """
            Loads FILE with the router's own loader and every start-up check (the model memory
            check included) and reports every problem at once on stderr, exit code 2; prints the
            notes (checks skipped and why, each instance's memory arithmetic) and exits 0 when it
            is valid. keyEnv and ${VAR} are read from the environment;
              --env-file FILE   read them from FILE first, as systemd does (/etc/gpu-router/env)
            """, Remote: false, ["--env-file FILE"], None, 1, 1, CheckConfigCommand.RunAsync),
    ];

    public static CliVerb? Find(string name) => All.FirstOrDefault(v => v.Name == name);

    private static CliVerb Instance(string action, string summary, string target) => new(
        action, "NAME", summary,
        $"""
        POST /admin/instances/NAME/{action}. The router answers at once and works in the
        background; 'gpu-router status' shows the progress.
          --wait               wait until the instance is {target} (exit 1 if it fails instead)
          --timeout DURATION   how long --wait waits (default 15m; e.g. 90s, 30m)
        """, Remote: true, Timeout, Wait, 1, 1, InstanceCommand.For(action));
}

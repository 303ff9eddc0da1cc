using Microsoft.Extensions.Logging;
using VllmSim.Options;

namespace VllmSim;

/// <summary>
/// Everything the simulator can be told. vLLM's own flags keep vLLM's names and defaults so one
/// container spec serves the real image and this one; the simulation flags have no vLLM twin.
/// </summary>
public sealed class SimOptions
{
    public const int DefaultPort = 8000;

    /// <summary>The model path or Hugging Face id (<c>--model</c> or the positional argument).</summary>
    public string Model { get; set; } = "sim-model";

    /// <summary>Names clients may send as <c>model</c>; empty means <see cref="Model"/> alone.</summary>
    public IReadOnlyList<string> ServedModelNames { get; set; } = [];

    /// <summary>
    /// Interface to bind. Null: all interfaces for the process (as vLLM does), 127.0.0.1 for an
    /// in-process <see cref="SimServer"/>.
    /// </summary>
    public string? Host { get; set; }

    /// <summary>
    /// <c>--api-key</c> (or VLLM_API_KEY): every route but vLLM's public ones (/health, /ping,
    /// /load, /version, /metrics, the API docs) answers 401 without <c>Authorization: Bearer</c>
    /// this key. Null: no key, as vLLM without one.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>TCP port; 0 picks a free one (in-process use).</summary>
    public int Port { get; set; } = DefaultPort;

    public int MaxModelLen { get; set; } = 8192;

    /// <summary>Requests generating at once; the rest wait (vllm:num_requests_waiting).</summary>
    public int MaxNumSeqs { get; set; } = 256;

    /// <summary>Accepted for fidelity; the simulator reserves no memory.</summary>
    public double GpuMemoryUtilization { get; set; } = 0.9;

    public int TensorParallelSize { get; set; } = 1;

    public string? Quantization { get; set; }

    /// <summary><c>--dtype</c>: weights and KV cache in float32 take 4 bytes a value, anything else 2.</summary>
    public string? Dtype { get; set; }

    /// <summary>True when the model came as <c>--model</c>: vLLM accepts that with a deprecation warning.</summary>
    public bool ModelFromFlag { get; set; }

    /// <summary>
    /// <c>--sim-gpu-memory</c>: the simulated GPU's memory as nvidia-smi shows it. Set, start-up
    /// profiles memory as vLLM does and fails the same way when the share cannot hold the model
    /// (read from config.json in the Hugging Face cache). Null (the default): no GPU is simulated.
    /// </summary>
    public long? SimGpuMemoryBytes { get; set; }

    /// <summary>Where the Hugging Face cache is, in-process; the program reads HF_HUB_CACHE / HF_HOME as vLLM does.</summary>
    public string? HuggingFaceHome { get; set; }

    /// <summary>Seconds before the port listens, as vLLM loading its weights.</summary>
    public double LoadSeconds { get; set; }

    /// <summary>Time to first token, after the request is scheduled.</summary>
    public double TtftMs { get; set; }

    /// <summary>Inter-token latency: time per output token after the first.</summary>
    public double ItlMs { get; set; }

    /// <summary>Prefill cost added to the time to first token, per prompt token.</summary>
    public double PrefillUsPerToken { get; set; }

    public int EmbeddingDim { get; set; } = 1024;

    /// <summary>
    /// Crash while serving the Nth inference request (counted when it is accepted, after
    /// validation): it dies after its first tokens, as vLLM hitting CUDA OOM. Null: never.
    /// </summary>
    public int? ExitAfterRequests { get; set; }

    /// <summary>The exit code of that crash.</summary>
    public int ExitCode { get; set; } = 1;

    /// <summary>How long POST /sleep takes.</summary>
    public double SleepSeconds { get; set; }

    /// <summary>How long POST /wake_up takes.</summary>
    public double WakeSeconds { get; set; }

    /// <summary>How long POST /collective_rpc {"method":"reload_weights"} takes.</summary>
    public double ReloadSeconds { get; set; }

    /// <summary>
    /// How /wake_up misbehaves, for tests of a router's fallbacks. Read on every call, so an
    /// in-process test may change it while the server runs.
    /// </summary>
    public WakeFault WakeFault { get; set; }

    /// <summary><c>--enable-sleep-mode</c>: sleep, wake and reload work (they need VLLM_SERVER_DEV_MODE to be reachable).</summary>
    public bool EnableSleepMode { get; set; }

    /// <summary>
    /// VLLM_SERVER_DEV_MODE=1 in the environment: the development routes (/sleep, /wake_up,
    /// /is_sleeping, /collective_rpc, /reset_prefix_cache) exist. In-process, set it here.
    /// </summary>
    public bool ServerDevMode { get; set; }

    /// <summary><c>--enable-auto-tool-choice</c>: tool_choice "auto" is parsed into tool calls.</summary>
    public bool EnableAutoToolChoice { get; set; }

    /// <summary><c>--tool-call-parser</c>: the format the model writes its calls in (hermes, llama3_json, ...).</summary>
    public string? ToolCallParser { get; set; }

    /// <summary>Output length when a request sets no max_tokens; such a choice ends with "stop".</summary>
    public int DefaultMaxTokens { get; set; } = 16;

    /// <summary>Information, as vLLM's default: start-up, loading, sleep and shutdown lines; nothing per request.</summary>
    public LogLevel LogLevel { get; set; } = LogLevel.Information;

    /// <summary>Where log lines go; null is standard output (where vLLM logs too).</summary>
    public TextWriter? LogOutput { get; set; }

    /// <summary>Flags vLLM has and the simulator ignores; logged at start-up.</summary>
    public IReadOnlyList<string> IgnoredFlags { get; set; } = [];

    /// <summary>The names clients may use, the first being the one responses carry.</summary>
    public IReadOnlyList<string> EffectiveModelNames => ServedModelNames.Count > 0 ? ServedModelNames : [Model];

    /// <summary>
    /// Parses vLLM-style arguments; SIM_* environment variables fill simulation flags not given.
    /// Throws <see cref="ArgumentException"/> naming every bad flag at once.
    /// </summary>
    public static SimOptions Parse(string[] args) => SimArgsParser.Parse(args, Environment.GetEnvironmentVariable);

    /// <summary>Throws <see cref="ArgumentException"/> naming every out-of-range value at once.</summary>
    public void Validate()
    {
        var errors = SimOptionsValidator.Check(this);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, errors));
        }
    }
}

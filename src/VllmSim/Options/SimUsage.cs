namespace VllmSim.Options;

internal static class SimUsage
{
    public const string Text = """
        usage: vllm-sim [MODEL] [--model MODEL] [--served-model-name NAME [NAME ...]] [--host HOST] [--port PORT]
                        [--max-model-len N] [--max-num-seqs N] [--gpu-memory-utilization F] [--tensor-parallel-size N]
                        [--quantization Q] [--api-key KEY] [simulation flags] [any other vLLM flag, accepted and ignored]

        A simulator of vLLM's OpenAI-compatible server. Simulation flags (or SIM_<FLAG> variables, e.g. SIM_TTFT_MS):
          --load-seconds S          the port stays closed this long, as vLLM loading weights (default 0)
          --ttft-ms MS              time to first token once scheduled (default 0)
          --itl-ms MS               time per further output token (default 0)
          --prefill-us-per-token US prefill time added to the first token, per prompt token (default 0)
          --embedding-dim N         embedding size (default 1024)
          --exit-after-requests N   the Nth accepted request crashes the process after its first tokens
          --exit-code C             that crash's exit code (default 1)
          --sleep-seconds S         time POST /sleep takes (default 0)
          --wake-seconds S          time POST /wake_up takes (default 0)
          --reload-seconds S        time POST /collective_rpc reload_weights takes (default 0)
          --wake-fault MODE         none (default), error (500, stays asleep), hang (never answers),
                                    stays-asleep (200, but /is_sleeping stays true)
          --default-max-tokens N    output length when a request sets no max_tokens (default 16)
          --log-level LEVEL         debug, info (default), warning, error
          --sim-gpu-memory SIZE     simulate a GPU of this size (24GiB): start-up checks the share against the model's
                                    config.json in the Hugging Face cache and fails as vLLM does (default: no GPU)

        --api-key KEY (or VLLM_API_KEY): every route but /health, /ping, /load, /version, /metrics and the docs
        answers 401 {"error":"Unauthorized"} without Authorization: Bearer KEY, as vLLM's.
        vLLM flags acted on: --enable-sleep-mode, --enable-auto-tool-choice, --tool-call-parser NAME; the sleep
        routes exist only with VLLM_SERVER_DEV_MODE=1 in the environment, as vLLM's.
        As current vLLM: --task is refused (exit 2), --model is accepted with a deprecation warning.
        """;
}

#!/usr/bin/env bash
# Measures a model switch on one GPU through the router, cold (stop + start, as without sleep mode)
# and through sleep mode (the idle model falls asleep, the asked-for one wakes), with the simulator
# at realistic ratios: load 8 s, sleep 0.5 s, wake 1 s. Each round asks for the other model than
# the last one, so every request is a switch; the time is the client's, request sent -> first byte.
# Also the router's own share of each wake: the client's time less what the router waited for
# (room made, i.e. the other model's sleep, and the /wake_up call), as the router logs them.
# Usage: scripts/measure-switch.sh [ROUNDS]   (needs root, dockerd, the simulator image; run under
# the suite lock: flock /tmp/gpu-router-suite.lock scripts/measure-switch.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
port=${MEASURE_PORT:-18791}
scripts/lib/ensure-docker.sh
scripts/build-sim-image.sh </dev/null >/dev/null
dotnet build src/Router -c Release -nologo -clp:ErrorsOnly </dev/null >/dev/null

work=$(mktemp -d /tmp/gpu-router-switch.XXXXXX)
stamp=$(date +%s)
key=measure-key
router=
cleanup() {
  [ -n "$router" ] && { kill "$router" 2>/dev/null || true; wait "$router" 2>/dev/null || true; }
  docker ps -aq --filter "label=gpu-router.instance" --filter "name=sw${stamp}_" | xargs -r docker rm -f >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

model() { # NAME SLEEP-LINE
  cat <<YAML
  - name: $1
    image: gpu-router/vllm-sim:dev
    hfModel: sim/$1
    args: ["--load-seconds", "8", "--sleep-seconds", "0.5", "--wake-seconds", "1"]
    $2
    instances: [{ name: sw${stamp}_$1, gpus: [0], maxModelLen: 8192, maxConcurrent: 4, gpuMemoryUtilization: 0.6 }]
YAML
}

ask() { # MODEL -> "ms" of request sent -> first byte
  curl -s -o /dev/null -w '%{time_starttransfer}' "http://127.0.0.1:$port/v1/chat/completions" \
    -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
    -d "{\"model\":\"$1\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":1}" |
    awk '{ printf "%.0f", $1 * 1000 }'
}

run() { # LABEL SLEEP-LINE
  local label=$1 sleep=$2
  cat >"$work/router.yaml" <<YAML
server: { urls: ["http://127.0.0.1:$port"] }
state: { dir: "$work/state-$label" }
logging: { level: Information }
host: { memoryBudget: 8GiB }
clients: [{ name: ops, admin: true, keySha256: "$(printf %s "$key" | sha256sum | cut -d' ' -f1)" }]
docker: { network: host, portRange: "18810-18819", gpuAccess: none }
nvml: { library: "$work/no-nvml.so" }
routing: { coldStartTimeout: 60s, healthPollInterval: 50ms }
models:
$(model llama "$sleep")
$(model coder "$sleep")
YAML
  dotnet src/Router/bin/Release/net10.0/gpu-router.dll --config "$work/router.yaml" </dev/null >"$work/$label.log" 2>&1 &
  router=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/ready" >/dev/null 2>&1 && break; sleep 0.2; done
  ask llama >/dev/null; ask coder >/dev/null   # both loaded once: from here every request is a switch
  : >"$work/$label.times"
  local next=llama
  for _ in $(seq 1 "$rounds"); do
    ask "$next" >>"$work/$label.times"; echo >>"$work/$label.times"
    [ "$next" = llama ] && next=coder || next=llama
  done
  kill "$router"; wait "$router" 2>/dev/null || true; router=
  docker ps -aq --filter "name=sw${stamp}_" | xargs -r docker rm -f >/dev/null 2>&1 || true
}

run cold ""
run sleep "sleep: { level: 1, hostMemory: 1GiB, residualShare: 0.05 }"

python3 - "$work" "$rounds" <<'PY'
import json, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
def times(label): return [int(x) for x in open(f"{work}/{label}.times").read().split()]
cold, sleep = times("cold"), times("sleep")
wakes = []
for line in open(f"{work}/sleep.log"):
    try: entry = json.loads(line)
    except ValueError: continue
    if entry.get("msg", "").startswith("Woke "): wakes.append(entry)
wakes = wakes[-rounds:]
print(f"switch, request sent -> first byte, median of {rounds}:")
print(f"  cold  (stop + start): {statistics.median(cold)} ms   {cold}")
print(f"  sleep (sleep + wake): {statistics.median(sleep)} ms   {sleep}")
shares = [t - w["RoomMs"] - w["WakeUpMs"] for t, w in zip(sleep, wakes)]
print("router's share of each wake (client time - room made - /wake_up call), ms:",
      [round(s, 1) for s in shares], f"median {statistics.median(shares):.1f}")
print("  per wake: room (the other model's sleep) ms", [round(w["RoomMs"]) for w in wakes],
      "; /wake_up ms", [round(w["WakeUpMs"]) for w in wakes])
PY

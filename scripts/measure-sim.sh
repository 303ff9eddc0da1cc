#!/usr/bin/env bash
# The simulator's own speed, which the tests no longer assert (a busy machine would fail them for
# nothing; the tests check the behaviour behind each number instead):
#   - response headers of a streamed chat from a freshly started process (--ttft-ms 300: the
#     headers must not wait for the first token)
#   - CHATS chats in a row with no timing flags
#   - `docker stop` of a simulator container with a stream open (SIGTERM, no SIGKILL needed)
# Usage: scripts/measure-sim.sh [CHATS]   (needs root and dockerd; run it under the suite lock)
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
chats=${1:-50}
port=${MEASURE_PORT:-18791}
scripts/lib/ensure-tools.sh curl
scripts/lib/ensure-docker.sh
scripts/build-sim-image.sh </dev/null >/dev/null
dotnet build src/VllmSim -c Release -nologo -clp:ErrorsOnly </dev/null >/dev/null

name="measure-sim-$$"
sim=
cleanup() {
  if [ -n "$sim" ]; then kill "$sim" 2>/dev/null || true; wait "$sim" 2>/dev/null || true; fi
  docker rm -f "$name" >/dev/null 2>&1 || true
}
trap cleanup EXIT
ms() { awk -v t="$1" 'BEGIN { printf "%.1f", t * 1000 }'; }
wait_health() {
  for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && return 0; sleep 0.05; done
  echo "the simulator did not answer on port $port" >&2; exit 1
}
chat='{"model":"m","messages":[{"role":"user","content":"hi"}],"max_tokens":6,"stream":true}'

dotnet src/VllmSim/bin/Release/net10.0/vllm-sim.dll --model m --host 127.0.0.1 --port "$port" --ttft-ms 300 --itl-ms 50 </dev/null >/dev/null 2>&1 &
sim=$!
wait_health
read -r headers total < <(curl -sN -o /dev/null -w '%{time_starttransfer} %{time_total}\n' "http://127.0.0.1:$port/v1/chat/completions" \
  -H 'Content-Type: application/json' -d "$chat")
kill "$sim"; wait "$sim" 2>/dev/null || true; sim=

dotnet src/VllmSim/bin/Release/net10.0/vllm-sim.dll --model m --host 127.0.0.1 --port "$port" </dev/null >/dev/null 2>&1 &
sim=$!
wait_health
start=$(date +%s%N)
for i in $(seq 1 "$chats"); do
  curl -fs -o /dev/null "http://127.0.0.1:$port/v1/chat/completions" -H 'Content-Type: application/json' \
    -d "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"quick $i\"}]}"
done
chats_ms=$(( ($(date +%s%N) - start) / 1000000 ))
kill "$sim"; wait "$sim" 2>/dev/null || true; sim=

docker run -d --name "$name" --network host gpu-router/vllm-sim:dev m --host 127.0.0.1 --port "$port" --itl-ms 100 >/dev/null
wait_health
curl -sN -o /dev/null "http://127.0.0.1:$port/v1/chat/completions" -H 'Content-Type: application/json' \
  -d '{"model":"m","messages":[{"role":"user","content":"x"}],"max_tokens":5000,"stream":true}' &
stream=$!
sleep 0.5
start=$(date +%s%N)
docker stop --time 30 "$name" >/dev/null
stop_ms=$(( ($(date +%s%N) - start) / 1000000 ))
wait "$stream" 2>/dev/null || true
exit_code=$(docker inspect --format '{{.State.ExitCode}}' "$name")

echo "simulator timings on $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg):"
echo "  fresh process, streamed chat with --ttft-ms 300: headers after $(ms "$headers") ms, last byte after $(ms "$total") ms"
echo "  $chats chats in a row, no timing flags: $chats_ms ms ($(awk -v t="$chats_ms" -v n="$chats" 'BEGIN { printf "%.1f", t / n }') ms each, curl's start-up included)"
echo "  docker stop with a stream open: $stop_ms ms, exit code $exit_code (137 would mean docker had to kill it)"

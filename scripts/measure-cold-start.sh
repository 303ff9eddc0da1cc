#!/usr/bin/env bash
# Measures the router's share of a cold start: from the moment the simulator container's port
# accepts connections (found by a tight connect loop beside it, ~1 ms resolution) to the moment
# the client receives the first byte through the router. That share is the health poll's delay
# plus the forward; the model's load time (here --load-seconds) is the container's, not the router's.
# Usage: scripts/measure-cold-start.sh [ROUNDS]   (needs root, dockerd, the simulator image)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
port=${MEASURE_PORT:-18790}
scripts/lib/ensure-docker.sh
scripts/build-sim-image.sh </dev/null >/dev/null
dotnet build src/Router -c Release -nologo -clp:ErrorsOnly </dev/null >/dev/null

work=$(mktemp -d /tmp/gpu-router-coldstart.XXXXXX)
instance="coldstart_$(date +%s)"
key=measure-key
cat >"$work/router.yaml" <<YAML
server: { urls: ["http://127.0.0.1:$port"] }
state: { dir: "$work/state" }
logging: { level: Warning }
clients: [{ name: ops, admin: true, keySha256: "$(printf %s "$key" | sha256sum | cut -d' ' -f1)" }]
docker: { network: host, portRange: "18800-18809", gpuAccess: none }
nvml: { library: "$work/no-nvml.so" }
routing: { coldStartTimeout: 60s, healthPollInterval: 50ms }
models:
  - name: llama
    image: gpu-router/vllm-sim:dev
    hfModel: sim/llama
    args: ["--load-seconds", "2", "--log-level", "info"]
    instances: [{ name: $instance, gpus: [0], maxModelLen: 8192, maxConcurrent: 4 }]
YAML
dotnet src/Router/bin/Release/net10.0/gpu-router.dll --config "$work/router.yaml" </dev/null >"$work/router.log" 2>&1 &
router=$!
trap 'kill $router 2>/dev/null || true; wait $router 2>/dev/null || true; docker rm -f "$instance" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/ready" >/dev/null 2>&1 && break; sleep 0.2; done

backend_port=18800  # the first port of docker.portRange above: the one the instance gets
printf '%-6s %-14s %s\n' round "cold start ms" "port open -> first byte ms, through the router"
for round in $(seq 1 "$rounds"); do
  rm -f "$work/open"
  ( until (exec 3<>"/dev/tcp/127.0.0.1/$backend_port") 2>/dev/null; do :; done; date +%s%N >"$work/open" ) &
  prober=$!
  start=$(date +%s%N)
  ttfb=$(curl -s -o /dev/null -w '%{time_starttransfer}' "http://127.0.0.1:$port/v1/chat/completions" \
    -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
    -d '{"model":"llama","messages":[{"role":"user","content":"hi"}],"max_tokens":1}')
  first_byte=$(( start + $(awk -v t="$ttfb" 'BEGIN { printf "%.0f", t * 1e9 }') ))
  wait "$prober" 2>/dev/null || true
  share_us=$(( (first_byte - $(cat "$work/open")) / 1000 ))
  printf '%-6s %-14s %s\n' "$round" "$(awk -v t="$ttfb" 'BEGIN { printf "%d", t * 1000 }')" "$(awk -v u="$share_us" 'BEGIN { printf "%.1f", u / 1000 }')"
  curl -s -X POST "http://127.0.0.1:$port/admin/instances/$instance/stop" -H "Authorization: Bearer $key" >/dev/null
  for _ in $(seq 1 100); do docker inspect "$instance" >/dev/null 2>&1 || break; sleep 0.1; done
done

# The same moment without the router: the prober itself sends the chat the instant the port opens.
# What the simulator needs for its first request (and the prober's own fork) is in both numbers;
# the router's share is the difference.
echo
printf '%-6s %s\n' round "baseline: port open -> first byte ms, no router"
for round in $(seq 1 "$rounds"); do
  name="${instance}_direct"
  docker run -d --rm --name "$name" --network host gpu-router/vllm-sim:dev --model llama --host 127.0.0.1 \
    --port "$backend_port" --load-seconds 2 >/dev/null
  until (exec 3<>"/dev/tcp/127.0.0.1/$backend_port") 2>/dev/null; do :; done
  open=$(date +%s%N)
  ttfb=$(curl -s -o /dev/null -w '%{time_starttransfer}' "http://127.0.0.1:$backend_port/v1/chat/completions" \
    -H 'Content-Type: application/json' -d '{"model":"llama","messages":[{"role":"user","content":"hi"}],"max_tokens":1}')
  after=$(( ($(date +%s%N) - open) / 1000 ))
  printf '%-6s %s\n' "$round" "$(awk -v u="$after" 'BEGIN { printf "%.1f", u / 1000 }')"
  docker rm -f "$name" >/dev/null 2>&1
  for _ in $(seq 1 50); do docker inspect "$name" >/dev/null 2>&1 || break; sleep 0.1; done
done

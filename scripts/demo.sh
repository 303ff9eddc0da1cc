#!/usr/bin/env bash
# The router doing its job against simulated vLLM containers: cold starts, the GPU rule, a queue
# forming, a streamed chat, an embedding, and the night switch to the dual-GPU 72B model.
# Needs root (it starts dockerd if none runs). Leaves nothing running when it ends.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
port=${DEMO_PORT:-8000}
base="http://127.0.0.1:$port"

scripts/lib/ensure-tools.sh curl
scripts/lib/ensure-docker.sh
scripts/build-sim-image.sh </dev/null
echo "== building the router"
dotnet build src/Router -c Release -nologo -clp:ErrorsOnly </dev/null >/dev/null

export DEMO_WEBUI_KEY=demo-webui-key DEMO_N8N_KEY=demo-n8n-key DEMO_ADMIN_KEY=demo-admin-key
log=$(mktemp /tmp/gpu-router-demo.XXXXXX.log)
dotnet src/Router/bin/Release/net10.0/gpu-router.dll --config config/demo.yaml --urls "$base" </dev/null >"$log" 2>&1 &
router=$!
cleanup() {
  kill "$router" 2>/dev/null || true
  wait "$router" 2>/dev/null || true
  # The router leaves model containers running on purpose (a restart adopts them); the demo does not.
  for name in llama_0 llama_1 bge_m3_1 qwen_72b_dual; do docker rm -f "$name" >/dev/null 2>&1 || true; done
  echo "router log: $log"
}
trap cleanup EXIT

for _ in $(seq 1 100); do curl -fs "$base/ready" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fs "$base/ready" >/dev/null || { echo "router did not become ready"; tail -n 30 "$log"; exit 1; }
echo "== router ready on $base ($(curl -s "$base/health" | grep -o '"mode":"[a-z]*"' | head -n 1))"

# One request; prints a table row from the router's response headers.
row() {
  local label=$1 key=$2 path=$3 body=$4 headers status
  headers=$(mktemp)
  status=$(curl -s -o /dev/null -D "$headers" -w '%{http_code}' "$base$path" \
    -H "Authorization: Bearer $key" -H 'Content-Type: application/json' -d "$body")
  h() { grep -i "^$1:" "$headers" | head -n 1 | cut -d' ' -f2- | tr -d '\r'; }
  printf '%-44s %-6s %-14s %-5s %-9s %-10s %s\n' "$label" "$status" "$(h X-Router-Instance)" "$(h X-Router-Gpu)" \
    "$(h X-Router-Queue-Ms)" "$(h X-Router-Cold-Start-Ms)" "$(h X-Router-Fallback)"
  rm -f "$headers"
}
chat() { printf '{"model":"%s","messages":[{"role":"user","content":"%s"}],"max_tokens":%s}' "$1" "$2" "${3:-16}"; }
long=$(printf 'word %.0s' $(seq 1 5000))

printf '\n%-44s %-6s %-14s %-5s %-9s %-10s %s\n' "request" "status" "instance" "gpu" "queue ms" "cold ms" "fallback"
row "Open WebUI, short chat (interactive)" "$DEMO_WEBUI_KEY" /v1/chat/completions "$(chat llama 'Hello!')"
row "Open WebUI, again (warm)" "$DEMO_WEBUI_KEY" /v1/chat/completions "$(chat llama 'And again?')"
row "n8n, short chat (batch)" "$DEMO_N8N_KEY" /v1/chat/completions "$(chat llama 'Summarise this.')"
row "n8n, 5000-word prompt (long context)" "$DEMO_N8N_KEY" /v1/chat/completions "$(chat llama "$long")"
row "n8n, embeddings" "$DEMO_N8N_KEY" /v1/embeddings '{"model":"bge-m3","input":["a","b"]}'
row "unknown model" "$DEMO_N8N_KEY" /v1/chat/completions "$(chat gpt-4 'hi')"

echo
echo "== a queue forming: 12 n8n requests at once on llama_1 (maxConcurrent 6)"
burst=()
for i in $(seq 1 12); do row "n8n burst #$i" "$DEMO_N8N_KEY" /v1/chat/completions "$(chat llama "burst $i" 48)" & burst+=($!); done
wait "${burst[@]}"   # not a bare wait: that would wait for the router too

echo
echo "== a streamed chat (first lines)"
stream=$(mktemp)
curl -sN "$base/v1/chat/completions" -H "Authorization: Bearer $DEMO_WEBUI_KEY" -H 'Content-Type: application/json' \
  -d '{"model":"llama","stream":true,"max_tokens":6,"messages":[{"role":"user","content":"Stream to me"}]}' -o "$stream"
grep -v '^$' "$stream" | head -n 4 | cut -c1-150
echo "... $(grep -c '^data:' "$stream") events in all, the last: $(grep '^data:' "$stream" | tail -n 1)"
rm -f "$stream"

echo
echo "== night: PUT /admin/mode {\"override\":\"night\"}"
curl -s -X PUT "$base/admin/mode" -H "Authorization: Bearer $DEMO_ADMIN_KEY" -d '{"override":"night"}'; echo
printf '%-44s %-6s %-14s %-5s %-9s %-10s %s\n' "request" "status" "instance" "gpu" "queue ms" "cold ms" "fallback"
row "n8n asks for qwen-72b mid-switch" "$DEMO_N8N_KEY" /v1/chat/completions "$(chat qwen-72b 'Write a resume.')"
row "Open WebUI asks for llama at night" "$DEMO_WEBUI_KEY" /v1/chat/completions "$(chat llama 'Still there?')"
echo "switch: $(curl -s "$base/admin/mode" -H "Authorization: Bearer $DEMO_ADMIN_KEY" | grep -o '"lastSwitch":{[^}]*}')"
echo
echo "== back to the schedule: PUT /admin/mode {\"override\":\"auto\"}"
curl -s -X PUT "$base/admin/mode" -H "Authorization: Bearer $DEMO_ADMIN_KEY" -d '{"override":"auto"}' >/dev/null
curl -s "$base/admin/instances" -H "Authorization: Bearer $DEMO_ADMIN_KEY" | grep -o '"name":"[a-z0-9_]*","model":"[a-z0-9-]*","mode":"[a-z]*","state":"[A-Za-z]*"' | sed 's/^/  /'
echo
echo "== a few metrics"
curl -s "$base/metrics" | grep -E '^router_requests_total|^router_cold_start_seconds_count|^router_evictions_total|^router_mode' | head -n 20

#!/usr/bin/env bash
# The router doing its job against simulated vLLM containers: cold starts, the GPU rule, a queue
# forming, a streamed chat, an embedding, and the night switch to the dual-GPU 72B model.
# The same story at any hour: it pins day mode first (PUT /admin/mode day), shows the switch to
# night, and puts the override back to auto at the end (the override survives restarts).
# Needs root (it starts dockerd if none runs). Leaves nothing running when it ends.
# DEMO_FAKETIME='2026-12-02 03:30:00' runs the router under faketime (installed if missing) with
# that wall clock, to see the demo inside the night window; DEMO_PORT picks the port (8000).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
port=${DEMO_PORT:-8000}
base="http://127.0.0.1:$port"

scripts/lib/ensure-tools.sh curl ${DEMO_FAKETIME:+faketime}
scripts/lib/ensure-docker.sh
scripts/build-sim-image.sh </dev/null
echo "== building the router"
dotnet build src/Router -c Release -nologo -clp:ErrorsOnly </dev/null >/dev/null

export DEMO_WEBUI_KEY=demo-webui-key DEMO_N8N_KEY=demo-n8n-key DEMO_ADMIN_KEY=demo-admin-key
log=$(mktemp /tmp/gpu-router-demo.XXXXXX.log)
clock=()
if [ -n "${DEMO_FAKETIME:-}" ]; then
  # What `faketime --exclude-monotonic` sets up, through env, which execs: $router is then the
  # router itself, not a wrapper that would outlive the kill below. Only the wall clock is
  # faked (.NET can hang when its monotonic clock moves too); "@" lets it run on from there.
  clock=(env LD_PRELOAD="$(dpkg -L libfaketime | grep '/libfaketimeMT.so.1$')" FAKETIME="@$DEMO_FAKETIME" DONT_FAKE_MONOTONIC=1)
fi
"${clock[@]}" dotnet src/Router/bin/Release/net10.0/gpu-router.dll --config config/demo.yaml --urls "$base" </dev/null >"$log" 2>&1 &
router=$!
admin() { curl -s "$@" -H "Authorization: Bearer $DEMO_ADMIN_KEY"; }
field() { { grep -o "\"$1\":\"[a-z]*\"" || true; } | head -n 1 | cut -d'"' -f4; }
override_set=0
cleanup() {
  # The override is kept in state.dir across restarts: a demo stopped half-way must not leave
  # the next router pinned to a mode.
  if [ "$override_set" = 1 ]; then admin -X PUT "$base/admin/mode" -d '{"override":"auto"}' >/dev/null 2>&1 || true; fi
  kill "$router" 2>/dev/null || true
  wait "$router" 2>/dev/null || true
  # The router leaves model containers running on purpose (a restart adopts them); the demo does not.
  for name in llama_0 llama_1 bge_m3_1 qwen_72b_dual; do docker rm -f "$name" >/dev/null 2>&1 || true; done
  echo "router log: $log"
}
trap cleanup EXIT

for _ in $(seq 1 100); do curl -fs "$base/ready" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fs "$base/ready" >/dev/null || { echo "router did not become ready"; tail -n 30 "$log"; exit 1; }
mode_now=$(admin "$base/admin/mode")
echo "== router ready on $base: $(echo "$mode_now" | field mode) mode (override $(echo "$mode_now" | field override), wall clock $("${clock[@]}" date -u '+%H:%M UTC'))"

# Waits until the last mode switch (if one runs) has stopped and started what it had to.
wait_switch() {
  local phase=
  for _ in $(seq 1 300); do
    phase=$(admin "$base/admin/mode" | grep -o '"lastSwitch":{[^}]*}' | field phase || true)
    case "$phase" in ''|done|failed) break ;; esac
    sleep 0.2
  done
  if [ -n "$phase" ]; then echo "switch: $(admin "$base/admin/mode" | grep -o '"lastSwitch":{[^}]*}')"; fi
}

echo
echo "== day: PUT /admin/mode {\"override\":\"day\"} (the demo pins day mode, so it tells the same story at any hour)"
override_set=1
admin -X PUT "$base/admin/mode" -d '{"override":"day"}' | grep -o '"mode":"[a-z]*","override":"[a-z]*"'
wait_switch

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
# What the operator sees meanwhile (docs/cli.md), printed once the burst's rows are out.
sleep 0.3
# Under the router's clock: "since" and "last used" are ages against the CLI's own wall clock.
during=$(GPU_ROUTER_ADMIN_KEY=$DEMO_ADMIN_KEY "${clock[@]}" dotnet src/Router/bin/Release/net10.0/gpu-router.dll status --url "$base" </dev/null 2>&1 || true)
wait "${burst[@]}"   # not a bare wait: that would wait for the router too
echo
echo "== gpu-router status, taken during the burst"
echo "$during"

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
admin -X PUT "$base/admin/mode" -d '{"override":"night"}'; echo
printf '%-44s %-6s %-14s %-5s %-9s %-10s %s\n' "request" "status" "instance" "gpu" "queue ms" "cold ms" "fallback"
row "n8n asks for qwen-72b mid-switch" "$DEMO_N8N_KEY" /v1/chat/completions "$(chat qwen-72b 'Write a resume.')"
row "Open WebUI asks for llama at night" "$DEMO_WEBUI_KEY" /v1/chat/completions "$(chat llama 'Still there?')"
wait_switch
echo
echo "== back to the schedule: PUT /admin/mode {\"override\":\"auto\"} (an override survives restarts; the demo leaves none)"
mode_now=$(admin -X PUT "$base/admin/mode" -d '{"override":"auto"}')
override_set=0
scheduled=$(echo "$mode_now" | field mode)
echo "the schedule says $scheduled mode at $("${clock[@]}" date -u '+%H:%M UTC') (night is 02:00-06:00 Europe/Berlin)"
if [ "$scheduled" = day ]; then wait_switch; fi
admin "$base/admin/instances" | grep -o '"name":"[a-z0-9_]*","model":"[a-z0-9-]*","mode":"[a-z]*","state":"[A-Za-z]*"' | sed 's/^/  /'
echo
echo "== a few metrics"
curl -s "$base/metrics" | grep -E '^router_requests_total|^router_cold_start_seconds_count|^router_evictions_total|^router_mode' | head -n 20

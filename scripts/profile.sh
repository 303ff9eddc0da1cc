#!/usr/bin/env bash
# Where the router's CPU and allocations go under load (issue 16), not part of the test suite.
# Starts the simulator and a router (Release, from out/bench as scripts/bench.sh publishes it),
# warms both up, then under one wrk load: the router's CPU per request from /proc, its bytes
# allocated per request from dotnet-counters, and a perf profile (DOTNET_PerfMapEnabled=1) summed
# by binary, by area and by frame. Run it under the suite lock like bench.sh.
#
# Knobs (environment): PROFILE_CONNS (64), PROFILE_SECONDS (10 per phase), PROFILE_KIND (chat |
# stream), PROFILE_FREQ (perf samples/s, 999), PROFILE_BUILD (1: publish first),
# PROFILE_ROUTER_ENV (extra VAR=VALUE words for the router's environment), PROFILE_OUT (out/profile).
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_ROOT=$PWD
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
source scripts/lib/bench-lib.sh

CONNS=${PROFILE_CONNS:-64}
SECONDS_PER_PHASE=${PROFILE_SECONDS:-10}
KIND=${PROFILE_KIND:-chat}
FREQ=${PROFILE_FREQ:-999}
OUT=${PROFILE_OUT:-$BENCH_ROOT/out/profile}
BENCH_KEY=bench-key-$RANDOM$RANDOM
BENCH_BIN=$BENCH_ROOT/out/bench
export BENCH_KEY
CHAT_WARMUP='{"model":"m","messages":[{"role":"user","content":"hi"}],"max_tokens":1}'
case $KIND in
  chat) BODY='{"model":"m","messages":[{"role":"user","content":"hi"}],"max_tokens":1}' ;;
  stream) BODY='{"model":"m","messages":[{"role":"user","content":"hi"}],"max_tokens":64,"stream":true}' ;;
  *) echo "PROFILE_KIND is chat or stream" >&2; exit 2 ;;
esac

ulimit -n "$(ulimit -Hn)"
bench_ensure_tools
command -v perf >/dev/null || { apt-get update -qq </dev/null; apt-get install -y -qq linux-perf </dev/null >/dev/null; }
export PATH="$PATH:$HOME/.dotnet/tools"
command -v dotnet-counters >/dev/null || dotnet tool install -g dotnet-counters </dev/null >/dev/null
if [ "${PROFILE_BUILD:-1}" = 1 ]; then
  echo "== build (Release)"
  dotnet publish src/Router -c Release -o "$BENCH_BIN/router" -nologo -clp:ErrorsOnly </dev/null >/dev/null
  dotnet publish src/VllmSim -c Release -o "$BENCH_BIN/sim" -nologo -clp:ErrorsOnly </dev/null >/dev/null
fi

work=$(mktemp -d /tmp/gpu-router-profile.XXXXXX)
trap 'bench_cleanup; rm -rf "$work"' EXIT
mkdir -p "$OUT"
sim_port=$(bench_free_port)
bench_start_sim "$sim_port" 20 "$work/sim.log"
router_port=$(bench_free_port)
bench_write_router_config "$work/router.yaml" "$sim_port" Warning "$work/state"
# shellcheck disable=SC2086 # PROFILE_ROUTER_ENV is a list of words
# W^X off: with it on, JIT code runs from an anonymous double mapping that perf cannot name.
bench_start_router "$work/router.yaml" "$router_port" "$work/router.log" \
  DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 ${PROFILE_ROUTER_ENV:-}
url="http://127.0.0.1:$router_port/v1/chat/completions"
load=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== router pid $ROUTER_PID, $KIND at $CONNS connections, load average $load"

echo "== warm-up"
bench_wrk "$url" 64 8 "$CHAT_WARMUP" "$work/warmup.out"
bench_wrk "$url" "$CONNS" 4 "$BODY" "$work/warmup.out"

echo "== CPU and allocation per request (${SECONDS_PER_PHASE} s, no profiler)"
dotnet-counters collect -p "$ROUTER_PID" --counters System.Runtime --format csv -o "$work/counters.csv" \
  --refresh-interval 1 </dev/null >/dev/null 2>&1 &
counters_pid=$!
sleep 3
from=$(date +%T)
ticks_before=$(bench_ticks "$ROUTER_PID")
bench_wrk "$url" "$CONNS" "$SECONDS_PER_PHASE" "$BODY" "$work/measure.out"
ticks_after=$(bench_ticks "$ROUTER_PID")
to=$(date +%T)
sleep 2
kill "$counters_pid" 2>/dev/null || true # it ignores SIGINT without a terminal
wait "$counters_pid" 2>/dev/null || true
allocated=$(bench_allocated "$work/counters.csv" "$from" "$to")
requests=$W_requests
cpu_us=$(awk -v t=$((ticks_after - ticks_before)) -v h="$CLK_TCK" -v r="$requests" 'BEGIN{printf "%.1f", t / h * 1e6 / r}')
bytes=$(awk -v a="$allocated" -v r="$requests" 'BEGIN{ if (a == "") print "-"; else printf "%.0f", a / r }')
summary="$KIND c=$CONNS: $W_rps rps, p50 $W_p50_us us, p99 $W_p99_us us, router $cpu_us CPU us/request, $bytes B allocated/request (load average $load)"
echo "   $summary"

echo "== perf record -F $FREQ -g (${SECONDS_PER_PHASE} s)"
bench_wrk "$url" "$CONNS" $((SECONDS_PER_PHASE + 3)) "$BODY" "$work/perf-load.out" &
wrk_pid=$!
sleep 1
perf record -F "$FREQ" -g -p "$ROUTER_PID" -o "$work/perf.data" -- sleep "$SECONDS_PER_PHASE" >/dev/null 2>&1
wait "$wrk_pid" || true

report=$OUT/$KIND-c$CONNS.txt
data=$work/perf.data
set +o pipefail # head ends perf report's output early
{
  echo "$summary"
  echo
  echo "## Samples by binary (self)"
  perf report -i "$data" --no-children --sort dso --stdio -g none 2>/dev/null | grep -E '^ +[0-9]' | head -15
  echo
  echo "## Samples by area (self; managed frames by the assembly of their type, native by binary)"
  perf report -i "$data" --no-children --sort dso,sym --stdio -g none 2>/dev/null |
    awk -f scripts/lib/profile-areas.awk | sort -t$'\t' -k2 -rn | awk -F'\t' '{printf "%7.2f%%  %s\n", $2, $1}'
  echo
  echo "## Kernel entry points (with callees: where the kernel's share comes from)"
  perf report -i "$data" --children --sort sym --stdio -g none 2>/dev/null |
    grep -E '\[k\] (__x64_sys_|__sys_|do_syscall_64|asm_sysvec|asm_common_interrupt|schedule$|__schedule|do_epoll_wait|tcp_sendmsg$|tcp_recvmsg$|net_rx_action|__do_softirq|handle_softirqs)' | head -25
  echo
  echo "## Top frames (self)"
  perf report -i "$data" --no-children --sort dso,sym --stdio -g none 2>/dev/null | grep -E '^ +[0-9]' | head -60 | cut -c1-250
  echo
  echo "## Top managed frames (with callees)"
  perf report -i "$data" --children --sort sym --stdio -g none 2>/dev/null | grep -E '^ +[0-9]' | grep -v '\[k\]' | head -50 | cut -c1-250
} >"$report"
set -o pipefail
rm -f "/tmp/perf-$ROUTER_PID.map" "/tmp/perfinfo-$ROUTER_PID.map"
cat "$report"
echo "(written to $report)"

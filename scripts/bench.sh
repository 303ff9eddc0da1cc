#!/usr/bin/env bash
# Proxy benchmark (issue 7), not part of the test suite. Builds Release, starts the simulator
# (no artificial delay to the first token), nginx and the router in front of it, all on
# 127.0.0.1, and drives the same wrk load at the three: tiny non-streamed chats and 64-token SSE
# streams. Prints the tables and writes them into BENCHMARKS.md between the bench.sh markers.
# Runs as root with no standard input; installs nginx and wrk if they are missing.
#
# Knobs (environment): BENCH_DURATION (s per measured run, 8), BENCH_WARMUP (s, 2),
# BENCH_ITL_MS (simulator ms per streamed token, 20), BENCH_NGINX_WORKERS (auto),
# BENCH_INFO_LOG (1: also run a subset against a router logging at Information, 1),
# BENCH_WRITE (1: update BENCHMARKS.md, 1), BENCH_ONLY (a regex over scenario names),
# BENCH_ROUNDS (1: the matrix this many times, in alternation), BENCH_VARIANTS (more routers
# measured right after the main one in every scenario, for side-by-side comparisons: words
# `label[:VAR=VALUE...]`, each a router with those variables added to its environment; the
# pseudo-variables BIN=DIR run the gpu-router published in DIR instead of this tree's, and
# LEVEL=Information sets the variant's logging.level).
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_ROOT=$PWD
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
source scripts/lib/bench-lib.sh

DURATION=${BENCH_DURATION:-8}
WARMUP=${BENCH_WARMUP:-2}
GLOBAL_WARMUP=${BENCH_GLOBAL_WARMUP:-6}
ITL_MS=${BENCH_ITL_MS:-20}
BENCH_NGINX_WORKERS=${BENCH_NGINX_WORKERS:-auto}
INFO_LOG=${BENCH_INFO_LOG:-1}
WRITE=${BENCH_WRITE:-1}
ONLY=${BENCH_ONLY:-.}
ROUNDS=${BENCH_ROUNDS:-1}
read -r -a VARIANTS <<<"${BENCH_VARIANTS:-}"
BENCH_KEY=bench-key-$RANDOM$RANDOM
BENCH_BIN=$BENCH_ROOT/out/bench
export BENCH_KEY
started=$SECONDS

CHAT='{"model":"m","messages":[{"role":"user","content":"hi"}],"max_tokens":1}'
STREAM='{"model":"m","messages":[{"role":"user","content":"hi"}],"max_tokens":64,"stream":true}'
# name connections body
SCENARIOS=(
  "chat-c1 1 $CHAT"
  "chat-c64 64 $CHAT"
  "chat-c256 256 $CHAT"
  "stream-c64 64 $STREAM"
  "stream-c256 256 $STREAM"
  "stream-c1000 1000 $STREAM"
)
# What also runs against a router logging every request at Information (what users run).
INFO_SCENARIOS="chat-c1 chat-c64 stream-c1000"

ulimit -n "$(ulimit -Hn)" # 1000 streams need ~2000 descriptors in the proxy alone
bench_ensure_tools
echo "== build (Release)"
dotnet publish src/Router -c Release -o "$BENCH_BIN/router" -nologo -clp:ErrorsOnly </dev/null >/dev/null
dotnet publish src/VllmSim -c Release -o "$BENCH_BIN/sim" -nologo -clp:ErrorsOnly </dev/null >/dev/null

work=$(mktemp -d /tmp/gpu-router-bench.XXXXXX)
trap 'bench_cleanup; rm -rf "$work"' EXIT
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

sim_port=$(bench_free_port)
bench_start_sim "$sim_port" "$ITL_MS" "$work/sim.log"
nginx_port=$(bench_free_port)
bench_start_nginx "$work/nginx" "$nginx_port" "$sim_port"
router_port=$(bench_free_port)
bench_write_router_config "$work/router-warning.yaml" "$sim_port" Warning "$work/state"
bench_start_router "$work/router-warning.yaml" "$router_port" "$work/router-warning.log"
MAIN_ROUTER_PID=$ROUTER_PID
echo "== simulator :$sim_port (itl ${ITL_MS} ms), nginx :$nginx_port ($BENCH_NGINX_WORKERS workers), router :$router_port"
declare -A VARIANT_PID VARIANT_PORT
VARIANT_LABELS=()
for variant in "${VARIANTS[@]}"; do
  IFS=: read -r -a parts <<<"$variant"
  label=router-${parts[0]} env_words=() bin="" config=$work/router-warning.yaml
  # router-info is the BENCH_INFO_LOG router's label: the tables leave it out of the side by side.
  [ "$label" != router-info ] || { echo "BENCH_VARIANTS: the label 'info' is taken (BENCH_INFO_LOG's router)" >&2; exit 2; }
  for part in "${parts[@]:1}"; do
    case $part in
      BIN=*) bin=${part#BIN=} ;;
      LEVEL=*) config=$work/$label.yaml; bench_write_router_config "$config" "$sim_port" "${part#LEVEL=}" "$work/state-$label" ;;
      *=*) env_words+=("$part") ;;
      *) echo "BENCH_VARIANTS: '$part' is not VAR=VALUE" >&2; exit 2 ;;
    esac
  done
  VARIANT_PORT[$label]=$(bench_free_port)
  BENCH_ROUTER_BIN=${bin:-} bench_start_router "$config" "${VARIANT_PORT[$label]}" "$work/$label.log" "${env_words[@]}"
  VARIANT_PID[$label]=$ROUTER_PID
  VARIANT_LABELS+=("$label")
  echo "== $label :${VARIANT_PORT[$label]} ${bin:+($bin) }${env_words[*]}"
done
ROUTER_PID=$MAIN_ROUTER_PID

results=$work/results.tsv
: >"$results"

# One target under one scenario: warm-up, then the measured run with every process's CPU.
measure() { # label url scenario connections body
  local label=$1 url=$2 name=$3 conns=$4 body=$5 proxy_pid="" proxy_before=0 sim_before hwm="-"
  case $label in
    nginx) proxy_pid=$NGINX_PID ;;
    router) proxy_pid=$ROUTER_PID ;;
    router*) proxy_pid=${VARIANT_PID[$label]:-$ROUTER_PID} ;;
  esac
  case $label in router*) echo 5 >"/proc/$proxy_pid/clear_refs" ;; esac # resets VmHWM
  bench_wrk "$url" "$conns" "$WARMUP" "$body" "$work/warmup.out"
  sim_before=$(bench_ticks "$SIM_PID")
  [ -z "$proxy_pid" ] || proxy_before=$(bench_tree_ticks "$proxy_pid")
  bench_wrk "$url" "$conns" "$DURATION" "$body" "$work/$label-$name.out"
  local sim_cpu proxy_cpu="-"
  sim_cpu=$(awk -v t=$(($(bench_ticks "$SIM_PID") - sim_before)) -v h="$CLK_TCK" 'BEGIN{printf "%.2f", t / h}')
  if [ -n "$proxy_pid" ]; then
    proxy_cpu=$(awk -v t=$(($(bench_tree_ticks "$proxy_pid") - proxy_before)) -v h="$CLK_TCK" 'BEGIN{printf "%.2f", t / h}')
  fi
  case $label in router*) hwm=$(( $(bench_kb "$proxy_pid" VmHWM) / 1024 )) ;; esac
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
    "$name" "$label" "$conns" "$W_requests" "$W_rps" "$W_p50_us" "$W_p99_us" "$W_errors" \
    "c$W_connect/r$W_read/w$W_write/s$W_status/t$W_timeout" "$W_CPU_WRK" "$proxy_cpu" "$sim_cpu" "$hwm" \
    "$(awk -v d="$W_duration_us" 'BEGIN{printf "%.1f", d / 1e6}')" >>"$results"
  printf '  %-13s %-13s %6s rps  p50 %7s us  p99 %8s us  errors %-22s cpu wrk %5s proxy %5s sim %5s  hwm %s MB\n' \
    "$name" "$label" "$W_rps" "$W_p50_us" "$W_p99_us" "$W_errors" "$W_CPU_WRK" "$proxy_cpu" "$sim_cpu" "$hwm"
}

# Both .NET processes (router and simulator) JIT and tier up under load for several seconds;
# a daemon that runs for days is measured in its steady state, so load them once first.
echo "== warm-up: ${GLOBAL_WARMUP} s through the router (router and simulator JIT)"
for port in "$router_port" "${VARIANT_PORT[@]}"; do
  bench_wrk "http://127.0.0.1:$port/v1/chat/completions" 64 "$GLOBAL_WARMUP" "$CHAT" "$work/warmup.out"
  bench_wrk "http://127.0.0.1:$port/v1/chat/completions" 256 3 "$STREAM" "$work/warmup.out"
done
echo "== load: ${WARMUP} s warm-up + ${DURATION} s measured per run"
for round in $(seq 1 "$ROUNDS"); do
  for scenario in "${SCENARIOS[@]}"; do
    read -r name conns body <<<"$scenario"
    [[ $name =~ $ONLY ]] || continue
    [ "$ROUNDS" = 1 ] || name="$name#$round"
    path=/v1/chat/completions
    measure direct "http://127.0.0.1:$sim_port$path" "$name" "$conns" "$body"
    measure nginx "http://127.0.0.1:$nginx_port$path" "$name" "$conns" "$body"
    # The routers take turns at going first, round by round, so none always meets the machine
    # in the state the previous target left it.
    routers=(router "${VARIANT_LABELS[@]}")
    shift_by=$(( (round - 1) % ${#routers[@]} ))
    for label in "${routers[@]:shift_by}" "${routers[@]:0:shift_by}"; do
      port=$router_port
      [ "$label" = router ] || port=${VARIANT_PORT[$label]}
      measure "$label" "http://127.0.0.1:$port$path" "$name" "$conns" "$body"
    done
  done
done
router_total_cpu=$(awk -v t="$(bench_ticks "$ROUTER_PID")" -v h="$CLK_TCK" 'BEGIN{printf "%.1f", t / h}')
router_total_hwm=$(( $(bench_kb "$ROUTER_PID" VmHWM) / 1024 ))
for label in "${VARIANT_LABELS[@]}"; do kill "${VARIANT_PID[$label]}" 2>/dev/null || true; done

if [ "$INFO_LOG" = 1 ]; then
  kill "$ROUTER_PID"; wait "$ROUTER_PID" 2>/dev/null || true
  bench_write_router_config "$work/router-info.yaml" "$sim_port" Information "$work/state"
  bench_start_router "$work/router-info.yaml" "$router_port" "$work/router-info.log"
  echo "== router logging at Information (one JSON line per request, to a file); ${GLOBAL_WARMUP} s warm-up"
  bench_wrk "http://127.0.0.1:$router_port/v1/chat/completions" 64 "$GLOBAL_WARMUP" "$CHAT" "$work/warmup.out"
  for scenario in "${SCENARIOS[@]}"; do
    read -r name conns body <<<"$scenario"
    [[ " $INFO_SCENARIOS " == *" $name "* && $name =~ $ONLY ]] || continue
    measure router-info "http://127.0.0.1:$router_port/v1/chat/completions" "$name" "$conns" "$body"
  done
fi
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
bench_cleanup
elapsed=$((SECONDS - started))

report=$work/report.md
{
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC') by \`scripts/bench.sh\` in ${elapsed} s."
  echo "Machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) RAM, kernel $(uname -r);"
  echo ".NET $(dotnet --version), $(nginx -v 2>&1 | sed 's/.*: //'), wrk $(dpkg-query -W -f='${Version}' wrk 2>/dev/null || echo '?')."
  echo "Load average before/after (other engineers share the 2 cores): $load_before / $load_after."
  echo "Simulator: --ttft-ms 0 --itl-ms $ITL_MS; nginx worker_processes $BENCH_NGINX_WORKERS; ${GLOBAL_WARMUP} s + 3 s warm-up through the router once, then ${WARMUP} s warm-up + ${DURATION} s per run; wrk -t2 (-t1 at 1 connection) --timeout 30s."
  echo
  echo "| scenario | conns | rps direct | rps nginx | rps router | p50 direct / nginx / router | p99 direct / nginx / router | router added p50 / p99 | router/direct | router/nginx | errors d / n / r |"
  echo "| --- | ---: | ---: | ---: | ---: | --- | --- | --- | ---: | ---: | --- |"
  awk -F'\t' '
    function t(us) { return us < 1000 ? sprintf("%d µs", us) : (us < 1e6 ? sprintf("%.2f ms", us / 1000) : sprintf("%.2f s", us / 1e6)) }
    function d(us) { return (us < 0 ? "-" : "+") t(us < 0 ? -us : us) }
    $2 != "router-info" { key = $1; if (!(key in seen)) { order[++n] = key; seen[key] = 1 }
      conns[key] = $3; rps[key, $2] = $5; p50[key, $2] = $6; p99[key, $2] = $7; err[key, $2] = $8 }
    END { for (i = 1; i <= n; i++) { k = order[i]
      printf "| %s | %s | %s | %s | %s | %s / %s / %s | %s / %s / %s | %s / %s | %.2f | %.2f | %s / %s / %s |\n",
        k, conns[k], rps[k, "direct"], rps[k, "nginx"], rps[k, "router"],
        t(p50[k, "direct"]), t(p50[k, "nginx"]), t(p50[k, "router"]),
        t(p99[k, "direct"]), t(p99[k, "nginx"]), t(p99[k, "router"]),
        d(p50[k, "router"] - p50[k, "direct"]), d(p99[k, "router"] - p99[k, "direct"]),
        rps[k, "router"] / (rps[k, "direct"] ? rps[k, "direct"] : 1), rps[k, "router"] / (rps[k, "nginx"] ? rps[k, "nginx"] : 1),
        err[k, "direct"], err[k, "nginx"], err[k, "router"] } }' "$results"
  echo
  echo "CPU seconds used during each measured run (of $((2 * DURATION)) s available on 2 cores), the router's peak RSS (VmHWM, reset before each warm-up), errors by kind:"
  echo
  echo "| scenario | target | requests | rps | p50 | p99 | cpu wrk | cpu proxy | proxy µs/request | cpu sim | router VmHWM | errors connect/read/write/status/timeout |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
  awk -F'\t' '
    function t(us) { return us < 1000 ? sprintf("%d µs", us) : (us < 1e6 ? sprintf("%.2f ms", us / 1000) : sprintf("%.2f s", us / 1e6)) }
    { per = ($11 == "-" || $4 == 0) ? "-" : sprintf("%.0f", $11 * 1e6 / $4)
      printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $4, $5, t($6), t($7), $10, $11, per, $12, ($13 == "-" ? "-" : $13 " MB"), $9 }' "$results"
  if [ ${#VARIANT_LABELS[@]} -gt 0 ] || [ "$ROUNDS" != 1 ]; then
    echo
    echo "Routers side by side (variants: ${BENCH_VARIANTS:-none}; rounds: $ROUNDS); added latency is against direct in the same scenario:"
    echo
    echo "| scenario | router | rps | rps / nginx | added p50 | p99 (direct's) | CPU µs/request (nginx's) | VmHWM | errors |"
    echo "| --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |"
    awk -F'\t' '
      function t(us) { return us < 1000 ? sprintf("%d µs", us) : (us < 1e6 ? sprintf("%.2f ms", us / 1000) : sprintf("%.2f s", us / 1e6)) }
      function per(cpu, n) { return (cpu == "-" || n == 0) ? "-" : sprintf("%.0f", cpu * 1e6 / n) }
      { key = $1; if (!(key in seen)) { order[++n] = key; seen[key] = 1 }
        if ($2 == "direct") { dp50[key] = $6; dp99[key] = $7 }
        else if ($2 == "nginx") { nrps[key] = $5; ncpu[key] = per($11, $4) }
        else if ($2 ~ /^router/ && $2 != "router-info") { rows[key] = rows[key] SUBSEP NR; line[NR] = $0 } }
      END { for (i = 1; i <= n; i++) { k = order[i]; m = split(rows[k], ids, SUBSEP)
        for (j = 2; j <= m; j++) { split(line[ids[j]], f, "\t")
          printf "| %s | %s | %s | %.2f | %s%s | %s (%s) | %s (%s) | %s MB | %s |\n", k, f[2], f[5], f[5] / (nrps[k] ? nrps[k] : 1),
            (f[6] - dp50[k] < 0 ? "-" : "+"), t(f[6] - dp50[k] < 0 ? dp50[k] - f[6] : f[6] - dp50[k]), t(f[7]), t(dp99[k]),
            per(f[11], f[4]), ncpu[k], f[13], f[8] } } }' "$results"
  fi
  if [ "$ROUNDS" != 1 ]; then
    echo
    echo "Medians over the $ROUNDS rounds (each round's ratios and added latency are against nginx and direct in that round):"
    echo
    echo "| scenario | router | rps / nginx | added p50 | p99 / direct's p99 | CPU µs/request | nginx CPU µs/request | VmHWM |"
    echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    awk -F'\t' '
      function med(list,    a, m, i, j, v) { m = split(substr(list, 2), a, " ")
        for (i = 2; i <= m; i++) { v = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > v; j--) a[j + 1] = a[j]; a[j + 1] = v }
        return m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2 }
      function per(cpu, n) { return (cpu == "-" || n == 0) ? 0 : cpu * 1e6 / n }
      { split($1, parts, "#"); base = parts[1]; key = $1
        if (!(base in seenb)) { border[++nb] = base; seenb[base] = 1 }
        if ($2 == "direct") { dp50[key] = $6; dp99[key] = $7 }
        else if ($2 == "nginx") { nrps[key] = $5; ncpu[base] = ncpu[base] " " per($11, $4) }
        else if ($2 ~ /^router/ && $2 != "router-info") {
          r = base SUBSEP $2; if (!(r in seenr)) { rorder[base] = rorder[base] SUBSEP $2; seenr[r] = 1 }
          ratio[r] = ratio[r] " " ($5 / (nrps[key] ? nrps[key] : 1)); add[r] = add[r] " " ($6 - dp50[key])
          tail[r] = tail[r] " " ($7 / (dp99[key] ? dp99[key] : 1)); cpu[r] = cpu[r] " " per($11, $4); hwm[r] = hwm[r] " " $13 } }
      END { for (i = 1; i <= nb; i++) { b = border[i]; m = split(rorder[b], names, SUBSEP)
        for (j = 2; j <= m; j++) { r = b SUBSEP names[j]
          printf "| %s | %s | %.2f | %+.0f µs | %.2f | %.0f | %.0f | %.0f MB |\n", b, names[j], med(ratio[r]), med(add[r]), med(tail[r]),
            med(cpu[r]), med(ncpu[b]), med(hwm[r]) } } }' "$results"
  fi
  echo
  echo "Router (Warning logging) over the whole matrix: ${router_total_cpu} CPU s, peak RSS ${router_total_hwm} MB."
}>"$report"

mkdir -p "$BENCH_ROOT/out"
cp "$results" "$BENCH_ROOT/out/bench-results.tsv" # every measured run, for a closer look
echo
cat "$report"
if [ "$WRITE" = 1 ]; then
  [ -f BENCHMARKS.md ] || printf '# Benchmarks\n' >BENCHMARKS.md
  grep -q '<!-- bench.sh:begin -->' BENCHMARKS.md || printf '\n<!-- bench.sh:begin -->\n<!-- bench.sh:end -->\n' >>BENCHMARKS.md
  awk -v report="$report" '
    /<!-- bench.sh:begin -->/ { print; while ((getline line < report) > 0) print line; skip = 1; next }
    /<!-- bench.sh:end -->/ { skip = 0 }
    !skip' BENCHMARKS.md >"$work/BENCHMARKS.md"
  cp "$work/BENCHMARKS.md" BENCHMARKS.md
  echo "(written to BENCHMARKS.md)"
fi
echo "bench.sh took $((SECONDS - started)) s"

# Helpers for scripts/bench.sh (sourced, not run): process accounting, the three servers and
# one wrk run. Every server listens on 127.0.0.1 only; every load run is bounded by wrk -d.

BENCH_PIDS=()
CLK_TCK=$(getconf CLK_TCK)

bench_ensure_tools() {
  local missing=()
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
  command -v wrk >/dev/null || missing+=(wrk)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "== installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq </dev/null
    apt-get install -y -qq "${missing[@]}" </dev/null >/dev/null
  fi
}

# A loopback TCP port nothing listens on, from a random start in 20000-29999.
bench_free_port() {
  local port=$((20000 + RANDOM % 10000))
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}

bench_wait_port() { # port seconds
  local port=$1 deadline=$((SECONDS + $2))
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    [ $SECONDS -lt "$deadline" ] || { echo "nothing listens on 127.0.0.1:$port after $2 s" >&2; return 1; }
    sleep 0.1
  done
}

bench_cleanup() {
  local pid
  for pid in "${BENCH_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${BENCH_PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  BENCH_PIDS=()
}

# CPU ticks (utime + stime) of one process; the command name is skipped because it is in parentheses.
bench_ticks() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
  stat=${stat##*) }
  awk '{print $12 + $13}' <<<"$stat"
}

# CPU ticks of a process and its direct children (nginx: master plus workers).
bench_tree_ticks() {
  local total pid
  total=$(bench_ticks "$1")
  for pid in $(cat "/proc/$1/task/$1/children" 2>/dev/null); do
    total=$((total + $(bench_ticks "$pid")))
  done
  echo "$total"
}

# CPU ticks of this shell's waited-for children (cutime + cstime): wrk runs in the foreground.
bench_children_ticks() {
  local stat
  stat=$(cat "/proc/$$/stat") # $$: the main shell, even inside $(...)
  stat=${stat##*) }
  awk '{print $14 + $15}' <<<"$stat"
}

bench_kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }

bench_start_sim() { # port itl_ms log
  "$BENCH_BIN/sim/vllm-sim" --model m --host 127.0.0.1 --port "$1" --ttft-ms 0 --itl-ms "$2" \
    --max-num-seqs 4096 --max-model-len 32768 --log-level error >"$3" 2>&1 &
  BENCH_PIDS+=($!)
  SIM_PID=$!
  bench_wait_port "$1" 60
}

bench_write_router_config() { # file sim_port level state_dir
  local hash
  hash=$(printf %s "$BENCH_KEY" | sha256sum | cut -d' ' -f1)
  cat >"$1" <<EOF
server:
  allowedNetworks: ["127.0.0.0/8"]
state:
  dir: $4
logging:
  level: $3
clients:
  - { name: bench, source: batch, keySha256: "$hash" }
docker:
  endpoint: unix://$4/no-docker.sock   # the bench needs no Docker: its one instance is an endpoint
nvml:
  library: libnvidia-ml-absent.so
routing:
  queueTimeout: 30s
  streamIdleTimeout: 60s
models:
  - name: m
    instances:
      - { name: m_0, gpus: [1], endpoint: "http://127.0.0.1:$2", maxModelLen: 32768, maxConcurrent: 2048, maxQueue: 4096 }
EOF
}

# The runtime environment the systemd unit gives the router (its Environment= lines), so the
# bench measures the router as the box runs it.
mapfile -t BENCH_UNIT_ENV < <(sed -n 's/^Environment=//p' "$BENCH_ROOT/systemd/gpu-router.service")

# A router from BENCH_ROUTER_BIN (default: the one bench.sh publishes) with the unit's environment
# and VAR=VALUE words added to it (runtime knobs such as DOTNET_gcConcurrent=0; they win).
bench_start_router() { # config port log [VAR=VALUE...]
  env "${BENCH_UNIT_ENV[@]}" "${@:4}" "${BENCH_ROUTER_BIN:-$BENCH_BIN/router}/gpu-router" --config "$1" --urls "http://127.0.0.1:$2" >"$3" 2>&1 &
  BENCH_PIDS+=($!)
  ROUTER_PID=$!
  bench_wait_port "$2" 60
}

bench_start_nginx() { # dir port sim_port
  local dir=$1
  mkdir -p "$dir/tmp"
  cat >"$dir/nginx.conf" <<EOF
user root;
worker_processes $BENCH_NGINX_WORKERS;
worker_rlimit_nofile 16384;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
daemon off;
events { worker_connections 8192; }
http {
  access_log off;
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  keepalive_requests 1000000;
  upstream sim {
    server 127.0.0.1:$3;
    keepalive 256;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:$2;
    location / {
      proxy_pass http://sim;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
      proxy_read_timeout 60s;
    }
  }
}
EOF
  nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" >"$dir/stdout.log" 2>&1 &
  BENCH_PIDS+=($!)
  NGINX_PID=$!
  bench_wait_port "$2" 20
}

# One bounded wrk run. Sets W_* from wrk's WRK_RESULT line and W_CPU_WRK (seconds).
bench_wrk() { # url connections seconds body out
  local threads=2 before after line
  [ "$2" -ge 2 ] || threads=1
  before=$(bench_children_ticks)
  BENCH_BODY=$4 wrk -t"$threads" -c"$2" -d"$3"s --timeout 30s -s "$BENCH_ROOT/bench/load/post.lua" "$1" >"$5" 2>&1 </dev/null || true
  after=$(bench_children_ticks)
  W_CPU_WRK=$(awk -v t=$((after - before)) -v h="$CLK_TCK" 'BEGIN{printf "%.2f", t / h}')
  line=$(grep '^WRK_RESULT' "$5" || echo "WRK_RESULT requests=0 duration_us=1 bytes=0 p50_us=0 p90_us=0 p99_us=0 max_us=0 connect=0 read=0 write=0 status=0 timeout=0")
  local kv
  for kv in ${line#WRK_RESULT }; do
    printf -v "W_${kv%%=*}" '%s' "${kv#*=}"
  done
  W_rps=$(awk -v r="$W_requests" -v d="$W_duration_us" 'BEGIN{printf "%.0f", r / (d / 1e6)}')
  W_errors=$((W_connect + W_read + W_write + W_status + W_timeout))
}

# Bytes the runtime allocated between two times of day (date +%T), from a `dotnet-counters collect
# --format csv --refresh-interval 1` file: the sum of its per-second total_allocated increments
# stamped in that window (the file is complete only once the collector has stopped).
bench_allocated() { # csv from to
  awk -F, -v from="$2" -v to="$3" '/dotnet.gc.heap.total_allocated/ {
      split($1, stamp, " "); if (stamp[2] > from && stamp[2] <= to) { sum += $NF; n++ } }
    END { if (n) printf "%.0f", sum }' "$1" 2>/dev/null
}

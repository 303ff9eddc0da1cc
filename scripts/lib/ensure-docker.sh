#!/usr/bin/env bash
# Makes sure a Docker engine answers on /var/run/docker.sock: installs docker.io when missing and
# starts dockerd in the background (no bridge, no iptables: test containers use the host network
# and listen on loopback ports only). Safe to call when dockerd already runs.
set -euo pipefail

if docker info >/dev/null 2>&1; then exit 0; fi

if ! command -v dockerd >/dev/null 2>&1; then
  echo "ensure-docker: installing docker.io" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq </dev/null >/dev/null
  apt-get install -y -qq docker.io </dev/null >/dev/null
fi

if ! pgrep -x dockerd >/dev/null 2>&1; then
  # A pid file left by an earlier session blocks a new dockerd.
  rm -f /var/run/docker.pid
  mkdir -p /var/log
  echo "ensure-docker: starting dockerd" >&2
  # Only stdin/out/err go to dockerd: an inherited descriptor (the suite lock of a caller run
  # under flock) would stay open, and locked, for as long as dockerd lives.
  nohup bash -c 'for fd in /proc/$$/fd/*; do fd=${fd##*/}; if [ "$fd" -gt 2 ]; then eval "exec $fd>&-"; fi; done
    exec dockerd --bridge=none --iptables=false' </dev/null >/var/log/gpu-router-dockerd.log 2>&1 &
fi

for _ in $(seq 1 120); do
  if docker info >/dev/null 2>&1; then exit 0; fi
  sleep 0.5
done
echo "ensure-docker: dockerd did not answer within 60 s; last log lines:" >&2
tail -n 20 /var/log/gpu-router-dockerd.log >&2 || true
exit 1

#!/usr/bin/env bash
# Issue 17's note: the router's added latency to an instance on a second Docker engine (a TLS
# dockerd of the test's own, its containers at 127.0.0.2, with their own API key) against one on
# the local engine, and what in-flight streams see when that engine stops. Runs the measurement
# (skipped in the suite) and the outage test, Release, and prints their numbers. Docker needed;
# run it under the suite lock: flock /tmp/gpu-router-suite.lock scripts/measure-hosts.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
export GPU_ROUTER_MEASURE=1 GPU_ROUTER_MEASURE_ROUNDS=${1:-300}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet test tests/Router.Tests -c Release -nologo \
  --filter "FullyQualifiedName~HostsOverheadMeasurement|FullyQualifiedName~RemoteHostOutageTests" \
  --logger "console;verbosity=detailed" 2>&1 | grep -E "router adds|median|remote stream ended|local requests|Passed|Failed|error" || true

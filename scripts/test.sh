#!/usr/bin/env bash
# Runs every test project and ends with one line: "N passed, N failed, N skipped".
# Works on a fresh machine as root with no standard input: installs what is missing, starts
# dockerd, builds the simulator image, builds the solution and runs the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

scripts/lib/ensure-tools.sh
scripts/lib/ensure-docker.sh

echo "== build"
dotnet build Router.sln -c Debug -nologo -clp:ErrorsOnly </dev/null
echo "== simulator image"
scripts/build-sim-image.sh </dev/null

results=out/test-results
rm -rf "$results"
mkdir -p "$results"
passed=0; failed=0; skipped=0; broken=0
for project in tests/*/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  echo "== $name"
  if ! dotnet test "$project" --no-build -c Debug -nologo \
      --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
      --results-directory "$results" </dev/null > "$results/$name.log" 2>&1; then
    grep -E "^\s+(Failed|Error Message|Stack Trace)|\[FAIL\]" "$results/$name.log" | head -60 || true
  fi
  tail -n 3 "$results/$name.log"
  trx="$results/$name.trx"
  if [ ! -f "$trx" ]; then
    echo "$name: no results file (the test host crashed?)"; tail -n 40 "$results/$name.log"
    broken=$((broken + 1)); continue
  fi
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  count() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  p=$(count passed); f=$(count failed); t=$(count total); e=$(count executed)
  passed=$((passed + p)); failed=$((failed + f + $(count error) + $(count timeout) + $(count aborted)))
  skipped=$((skipped + t - e))
done

failed=$((failed + broken))
# Artifacts worth a look: the status page's screenshots from the browser tests.
for shot in "$results"/ui/*.png; do if [ -f "$shot" ]; then echo "artifact: $shot"; fi; done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]

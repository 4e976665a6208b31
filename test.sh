#!/usr/bin/env bash
# The test command of the README, and what CI runs (.ci/run, .github/workflows/ci.yml): installs the tools the
# suites use when it may (as root, with apt-get), builds with warnings as errors, runs every test project, and
# ends with one line "N passed, N failed". Results (trx, screenshots) land in TestResults/.
set -uo pipefail
cd "$(dirname "$0")" || exit 1

# Debian packages the suites use: redis-server (the integration suite runs on it and on Garnet), prometheus
# (promtool checks the alert rules and the Grafana queries), chromium (the dashboard test), shellcheck (deploy.sh).
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  missing=()
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v promtool >/dev/null || missing+=(prometheus)
  command -v chromium >/dev/null || missing+=(chromium)
  command -v shellcheck >/dev/null || missing+=(shellcheck)
  command -v node >/dev/null || missing+=(nodejs npm)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing ${missing[*]}..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}") >/dev/null 2>&1 \
      || echo "warning: could not install ${missing[*]}; the tests that need them will say so"
  fi
  # The packages start system-wide servers on 6379 and 9090; the tests start their own on free ports.
  if command -v systemctl >/dev/null; then
    systemctl stop redis-server prometheus >/dev/null 2>&1 || true
  fi
fi
if ! command -v kubectl >/dev/null; then
  echo "warning: kubectl is not on PATH (Debian does not package it); the Kubernetes output tests will fail and say so"
fi

dotnet tool restore >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
if command -v npm >/dev/null; then
  npm ci --silent --prefix tests/Operations.Tests/tools >/dev/null 2>&1 || echo "warning: npm ci failed; the workflow lint test will say so"
  # The MCP conformance suite and the Node 22 it needs (EndToEnd.Tests' ConformanceSuiteTests): about 240 MB, so it
  # downloads while the solution builds (49 s on its own, measured cold).
  npm ci --silent --prefix tests/conformance >/dev/null 2>&1 &
  conformance_install=$!
fi
# Release: the suites are CPU-bound on a small machine (searches, load, fuzzing), and optimized code runs them in
# about two thirds of the time.
# The compiler server on: some environments turn it off (UseSharedCompilation=false), and then every project starts a
# compiler of its own (about 40 s of a two-core machine for this solution). It is stopped again once the build is done.
dotnet build Aspire.sln -c Release -warnaserror -nologo -v:q -p:UseSharedCompilation=true || { echo "0 passed, 1 failed"; exit 1; }
dotnet build-server shutdown >/dev/null 2>&1 || true
if [ -n "${conformance_install:-}" ] && ! wait "$conformance_install"; then
  echo "warning: npm ci in tests/conformance failed; the conformance tests will say so"
fi

# Tiered PGO off for every process of the run (test hosts, and the services, Redis servers and dashboards they start):
# these processes live seconds to minutes, and its instrumented tier cost more CPU than it won back. Measured on a
# two-core machine: TotService.Tests alone 107 -> 89 s of CPU; the whole run on a fresh clone 448-484 s -> 361 s.
export DOTNET_TieredPGO=0

results="$PWD/TestResults"
rm -rf "$results"
mkdir -p "$results"
export TEST_RESULTS_DIRECTORY="$results"

# Two lanes, longest projects first, so both cores stay busy to the end (dotnet test on the solution starts them in
# solution order and leaves one core idle for minutes). Each project's output is printed whole when it ends.
run_lane() {
  local project
  for project in "$@"; do
    dotnet test "tests/$project/$project.csproj" -c Release --no-build --nologo \
      --logger "trx;LogFilePrefix=$project" --results-directory "$results" --blame-hang-timeout 10m \
      >"$results/$project.log" 2>&1
    echo "$?" >"$results/$project.status"
    cat "$results/$project.log"
  done
}
lane1=(Resilience.Tests KeyService.Tests Operations.Tests)
lane2=(AppHost.Tests TotService.Tests EndToEnd.Tests)
for csproj in tests/*/*.Tests.csproj; do
  project="$(basename "$csproj" .csproj)"
  [[ " ${lane1[*]} ${lane2[*]} " == *" $project "* ]] || { echo "test.sh runs no lane for $project: add it to one"; echo "0 passed, 1 failed"; exit 1; }
done
run_lane "${lane1[@]}" &
run_lane "${lane2[@]}" &
wait

status=0
for project in "${lane1[@]}" "${lane2[@]}"; do
  [ "$(cat "$results/$project.status" 2>/dev/null)" = "0" ] || status=1
done

passed=0
failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -1)"
  p="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  f="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # A crashed or aborted test host reports no failure of its own: count it.
  failed=1
fi
echo "$passed passed, $failed failed"
exit "$status"

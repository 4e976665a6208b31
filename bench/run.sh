#!/usr/bin/env bash
# The one benchmark command: bash bench/run.sh [--skip-micro] [--only=jwks,token,...] [--set=resource:NAME=VALUE ...]
# Release build, BenchmarkDotNet micro-benchmarks (short job, in-process), then the app-model benchmarks against
# same-run baselines with wrk on loopback. Writes docs/BENCHMARKS.md. Exit code 0 when every target is met, 2 when
# a target was missed (the report is written either way), anything else when the run failed.
# --only runs some app-model rows and prints them (no micro-benchmarks, docs/BENCHMARKS.md left as it is; only the
# runner and what it starts are built). BENCH_SECONDS sets the length of one measured wrk run (default 10; three
# rounds per row).
set -euo pipefail
cd "$(dirname "$0")/.."

skip_micro=false
partial=false
runner_args=()
for arg in "$@"; do
  case "$arg" in
    --skip-micro) skip_micro=true ;;
    --only=*) partial=true; runner_args+=("$arg") ;;
    --set=*) runner_args+=("$arg") ;;
    *) echo "unknown option: $arg (expected --skip-micro, --only=..., --set=...)" >&2; exit 1 ;;
  esac
done

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "Installing wrk (Debian package)..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null
  else
    echo "wrk is required: install it (Debian/Ubuntu: sudo apt-get install wrk) and run again." >&2
    exit 1
  fi
fi

dotnet tool restore >/dev/null
# The official MCP TypeScript SDK's server, a baseline for the 2026-07-28 tools/call row, at its locked version.
(cd bench/typescript-baseline && npm ci --no-audit --no-fund --loglevel=error)
if [ "$partial" = true ]; then
  dotnet build bench/Bench.Runner -c Release -warnaserror -nologo -v:q
else
  dotnet build Aspire.sln -c Release -warnaserror -nologo -v:q
fi

if [ "$skip_micro" = false ] && [ "$partial" = false ]; then
  rm -rf bench/.artifacts/micro
  dotnet bench/Bench.Micro/bin/Release/net10.0/Bench.Micro.dll \
    --filter '*' --job short --inProcess --exporters github --artifacts bench/.artifacts/micro
fi

dotnet bench/Bench.Runner/bin/Release/net10.0/Bench.Runner.dll "${BENCH_SECONDS:-10}" ${runner_args[@]+"${runner_args[@]}"}

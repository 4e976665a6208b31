#!/usr/bin/env bash
# Fuzzes TotService's hand-written request parsing with AFL++ and SharpFuzz for a bounded time, then prints what ran.
#   fuzz/TotService.Fuzz/fuzz.sh [seconds] [--keep]
# seconds: how long afl-fuzz runs (default 60). --keep: copy the inputs it kept into corpus/ (replayed by the unit tests).
# Needs afl-fuzz (Debian: apt-get install afl++); installs the sharpfuzz tool from .config/dotnet-tools.json.
set -euo pipefail
seconds="${1:-60}"
keep="${2:-}"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="${FUZZ_WORK:-$(mktemp -d)}"

command -v afl-fuzz >/dev/null || { echo "afl-fuzz not found: apt-get install afl++" >&2; exit 2; }
cd "$root"
dotnet tool restore >/dev/null
dotnet publish "$here/TotService.Fuzz.csproj" -c Release -o "$work/bin" -v quiet -nologo
# Coverage comes from the instrumented assemblies: ours and the SDK's JSON-RPC types.
for assembly in TotService.dll ModelContextProtocol.Core.dll; do
  dotnet sharpfuzz "$work/bin/$assembly" >/dev/null
done

export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
afl-fuzz -V "$seconds" -t 10000 -m none -i "$here/corpus" -o "$work/findings" -- dotnet "$work/bin/TotService.Fuzz.dll" >"$work/afl.log" 2>&1 || {
  tail -n 30 "$work/afl.log" >&2; exit 1; }

stats="$work/findings/default/fuzzer_stats"
for field in run_time execs_done execs_per_sec corpus_count saved_crashes saved_hangs; do
  grep -E "^$field " "$stats" || true
done
crashes=$(find "$work/findings/default/crashes" -type f -name 'id:*' | wc -l)
if [[ "$keep" == "--keep" ]]; then
  for input in "$work/findings/default/queue"/id:*; do
    cp "$input" "$here/corpus/queue-$(sha256sum "$input" | cut -c1-16).bin"
  done
fi
echo "findings in $work/findings (crashes: $crashes)"
[[ "$crashes" -eq 0 ]]

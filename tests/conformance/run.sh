#!/usr/bin/env bash
# Runs the MCP conformance suite's server scenarios against TotService, the way a new client meets it: the AppHost's
# app model (Redis, KeyService, TotService) on free ports, a token from KeyService's token endpoint for the development
# client, and the token proxy in front of /mcp (the suite cannot send a token). Prints passed/failed/not applicable per
# scenario and the name of every failed check; exits 1 when a check failed that not-applicable.json does not list (with
# its reason: checks that need the suite's own fixture tools). Each scenario's checks (checks.json) and output are kept
# in TestResults/conformance/.
# Usage: tests/conformance/run.sh <conformance suite checkout, built with npm install> [scenario[@spec version]...]
# The suite (modelcontextprotocol/conformance 0.2.0-alpha.11) needs Node 22: set NODE=<path to node 22> when the node
# on PATH is older.
set -euo pipefail

suite="${1:?usage: $0 <conformance suite directory> [scenario...]}"
suite="$(cd "$suite" && pwd)"
shift
scenarios=("$@")
if [ ${#scenarios[@]} -eq 0 ]; then
  scenarios=(server-stateless caching http-header-validation server-session-lifecycle
    input-required-result-unsupported-methods dns-rebinding-protection dns-rebinding-protection@2026-07-28)
fi
node="${NODE:-node}"
[ -f "$suite/dist/index.js" ] || { echo "$suite/dist/index.js is missing: run npm install in $suite" >&2; exit 2; }
major="$("$node" -p 'process.versions.node.split(".")[0]')"
[ "$major" -ge 22 ] || { echo "the suite needs Node 22 or later ($node is $major): set NODE" >&2; exit 2; }

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
results="$repo/TestResults/conformance"
rm -rf "$results"
mkdir -p "$results"
apphost_pid=""
proxy_pid=""
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
  if [ -n "$proxy_pid" ]; then
    kill "$proxy_pid" 2>/dev/null || true
  fi
  if [ -n "$apphost_pid" ]; then
    # The AppHost runs in its own process group (set -m): SIGINT there is Ctrl+C, and the AppHost returns once every
    # process it started has exited.
    kill -INT -- "-$apphost_pid" 2>/dev/null || true
    for _ in $(seq 60); do kill -0 "$apphost_pid" 2>/dev/null || break; sleep 1; done
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "Building the AppHost..."
dotnet build "$repo/AppHost" -nologo -v:q >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }

echo "Starting the app model (free ports)..."
set -m
dotnet run --project "$repo/AppHost" --no-build -- --AppHost:RandomPorts=true --AppHost:Prometheus=false >"$work/apphost.log" 2>&1 &
apphost_pid=$!
set +m
token_line=""
for _ in $(seq 300); do
  token_line="$(grep -m1 -o 'Get a token: curl .*' "$work/apphost.log" 2>/dev/null || true)"
  [ -n "$token_line" ] && break
  kill -0 "$apphost_pid" 2>/dev/null || { cat "$work/apphost.log"; echo "the AppHost exited before TotService was ready" >&2; exit 1; }
  sleep 1
done
[ -n "$token_line" ] || { cat "$work/apphost.log"; echo "TotService was not ready within 300 s" >&2; exit 1; }

# The AppHost's own line: curl -s -u dev:"$(cat <secret file>)" -d grant_type=client_credentials -d resource=<mcp> <token url>
client="$(sed -E 's/.* -u ([^:]+):.*/\1/' <<<"$token_line")"
secret_file="$(sed -E 's/.*\$\(cat ([^)]+)\).*/\1/' <<<"$token_line")"
mcp_url="$(sed -E 's/.* resource=([^ ]+) .*/\1/' <<<"$token_line")"
token_url="$(awk '{print $NF}' <<<"$token_line")"
token="$(curl -sf -u "$client:$(cat "$secret_file")" -d grant_type=client_credentials -d "resource=$mcp_url" \
  -d "scope=tot:read tot:write" "$token_url" | "$node" -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).access_token))')"
echo "TotService: $mcp_url (token from $token_url)"

TOKEN="$token" "$node" "$here/token-proxy.mjs" "$(sed -E 's#(https?://[^/]+).*#\1#' <<<"$mcp_url")" >"$work/proxy.log" 2>&1 &
proxy_pid=$!
proxy=""
for _ in $(seq 50); do
  proxy="$(sed -n 's/^listening //p' "$work/proxy.log" 2>/dev/null || true)"
  [ -n "$proxy" ] && break
  sleep 0.1
done
[ -n "$proxy" ] || { cat "$work/proxy.log"; echo "the token proxy did not start" >&2; exit 1; }

status=0
summary=()
for scenario in "${scenarios[@]}"; do
  # name@version runs the scenario at that spec version (the suite picks one from the scenario otherwise).
  name="${scenario%@*}"
  version=()
  [ "$name" = "$scenario" ] || version=(--spec-version "${scenario#*@}")
  out="$results/$scenario"
  mkdir -p "$out"
  "$node" "$suite/dist/index.js" server --url "$proxy/mcp" --scenario "$name" "${version[@]}" -o "$out" >"$out.log" 2>&1 || true
  curl -sf -X POST "$proxy/.proxy/end-sessions" >/dev/null || true
  checks="$(find "$out" -name checks.json | head -1)"
  if [ -z "$checks" ]; then
    cat "$out.log"
    summary+=("$scenario: no result (see the log above)")
    status=1
    continue
  fi
  # shellcheck disable=SC2016 # the single-quoted text is JavaScript, expanded by node
  line="$("$node" -e '
    const fs = require("fs");
    const [file, scenario, listFile] = process.argv.slice(1);
    const checks = JSON.parse(fs.readFileSync(file, "utf8"));
    const notApplicable = JSON.parse(fs.readFileSync(listFile, "utf8"));
    const reason = (c) => notApplicable[`${scenario}:${c.id}`];
    const passed = checks.filter(c => c.status === "SUCCESS");
    const failed = checks.filter(c => c.status === "FAILURE" && !reason(c));
    const excused = checks.filter(c => c.status === "FAILURE" && reason(c));
    const other = checks.filter(c => c.status === "WARNING" || c.status === "SKIPPED");
    console.log(`${scenario}: ${passed.length} passed, ${failed.length} failed, ${excused.length} not applicable, ${other.length} warnings or skipped`
      + failed.map(c => `\n    FAILED ${c.id}: ${c.errorMessage ?? c.description}`).join("")
      + excused.map(c => `\n    not applicable ${c.id}: ${reason(c)}`).join("")
      + passed.filter(reason).map(c => `\n    PASSES NOW ${c.id}: remove it from not-applicable.json`).join("")
      + other.map(c => `\n    ${c.status} ${c.id}: ${c.errorMessage ?? c.description}`).join(""));' "$checks" "$scenario" "$here/not-applicable.json")"
  summary+=("$line")
  [[ "$line" == *" 0 failed"* ]] || status=1
done
printf '%s\n' "${summary[@]}"
exit "$status"

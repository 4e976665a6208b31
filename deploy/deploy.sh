#!/usr/bin/env bash
# One-command deployment of the kustomize tree in aspirate-output/ to the current kubectl context.
#
#   deploy/deploy.sh --domain company.com --image-registry registry.company.com/tot-mcp --tag 1.0.3
#
# Checks prerequisites, generates missing secrets (never overwriting or printing them), writes a kustomize
# overlay for the images, hosts and namespace (the committed tree is never edited), applies it, waits for the
# rollouts, checks /health, the JWKS and a token round trip through port-forwards, and rolls the workloads
# back when anything fails. --dry-run renders and validates offline and applies nothing.
# Exit codes: 0 deployed, 2 usage or prerequisites, 3 invalid rendered output, 4 rollout failed, 5 checks failed.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$script_dir/.." && pwd)"

KUBECTL="${KUBECTL:-kubectl}"
domain=""
registry=""
tag=""
namespace="tot-mcp"
dry_run=false
timeout="300s"
manifests="$repo_root/aspirate-output"
output=""
ingress_class="nginx"
client_secret_file=""

usage() {
  cat <<'EOF'
Usage: deploy/deploy.sh --domain DOMAIN --image-registry REGISTRY --tag TAG [options]

  --domain DOMAIN            public hosts become auth.DOMAIN (KeyService) and mcp.DOMAIN (TotService)
  --image-registry REGISTRY  images are REGISTRY/keyservice:TAG and REGISTRY/totservice:TAG
  --tag TAG                  image tag to deploy
  --namespace NAME           target namespace (default tot-mcp)
  --timeout DURATION         wait this long for each rollout, e.g. 300s or 5m (default 300s)
  --dry-run                  render and validate offline; apply nothing, generate no secret
  --ingress-class NAME       ingress class the cluster must have (default nginx)
  --client-secret-file FILE  clear-text secret of client 0, when keyservice.secret.env already existed
  --manifests DIR            the kustomize tree to deploy (default aspirate-output/)
  --output DIR               where the overlay goes (default deploy/.generated/NAMESPACE, git-ignored)
EOF
}

fail() { # exit code, message...
  local code="$1"
  shift
  printf 'deploy: %s\n' "$@" >&2
  exit "$code"
}

say() { printf '==> %s\n' "$*"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --domain) domain="${2:-}"; shift 2 ;;
    --image-registry) registry="${2:-}"; shift 2 ;;
    --tag) tag="${2:-}"; shift 2 ;;
    --namespace) namespace="${2:-}"; shift 2 ;;
    --timeout) timeout="${2:-}"; shift 2 ;;
    --dry-run) dry_run=true; shift ;;
    --ingress-class) ingress_class="${2:-}"; shift 2 ;;
    --client-secret-file) client_secret_file="${2:-}"; shift 2 ;;
    --manifests) manifests="${2:-}"; shift 2 ;;
    --output) output="${2:-}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; fail 2 "unknown argument '$1'" ;;
  esac
done

# --- arguments -------------------------------------------------------------------------------------------------
if [ -z "$domain" ] || [ -z "$registry" ] || [ -z "$tag" ]; then usage >&2; fail 2 "--domain, --image-registry and --tag are required"; fi
[[ "$domain" =~ ^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$ ]] || fail 2 "--domain '$domain' is not a DNS name (lower case, e.g. company.com)"
[[ "$registry" =~ ^[a-z0-9.-]+(:[0-9]+)?(/[a-z0-9._-]+)*$ ]] || fail 2 "--image-registry '$registry' is not a registry path (e.g. registry.company.com/tot-mcp)"
[[ "$tag" =~ ^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$ ]] || fail 2 "--tag '$tag' is not an image tag"
[ "$tag" != "latest" ] || fail 2 "--tag latest is not a version: rollbacks and the quota's surge need a pinned tag"
[[ "$namespace" =~ ^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$ ]] || fail 2 "--namespace '$namespace' is not a namespace name"
[[ "$timeout" =~ ^[0-9]+(s|m)$ ]] || fail 2 "--timeout '$timeout' must look like 300s or 5m"
[ -f "$manifests/kustomization.yaml" ] || fail 2 "no kustomization.yaml in '$manifests'"
manifests="$(cd "$manifests" && pwd)"
output="${output:-$repo_root/deploy/.generated/$namespace}"
auth_host="auth.$domain"
mcp_host="mcp.$domain"
audience="https://$mcp_host/mcp"

# --- prerequisites ---------------------------------------------------------------------------------------------
command -v "$KUBECTL" >/dev/null 2>&1 || fail 2 "kubectl not found on PATH: install kubectl 1.30+ (it bundles kustomize)"
for tool in openssl curl; do
  command -v "$tool" >/dev/null 2>&1 || fail 2 "$tool not found on PATH: install it (openssl makes the secrets, curl runs the checks)"
done

with_monitoring=true
if ! $dry_run; then
  context="$("$KUBECTL" config current-context 2>/dev/null)" || fail 2 "no current kubectl context: pick a cluster with 'kubectl config use-context NAME'"
  say "context $context, namespace $namespace"
  "$KUBECTL" get --raw /readyz >/dev/null 2>&1 || fail 2 "the cluster of context '$context' does not answer (kubectl get --raw /readyz failed): check the VPN, credentials or kubeconfig"
  missing=()
  "$KUBECTL" get ingressclass "$ingress_class" -o name >/dev/null 2>&1 \
    || missing+=("ingress class '$ingress_class' not found: install ingress-nginx (or pass --ingress-class with the class your controller serves)")
  "$KUBECTL" get crd certificates.cert-manager.io clusterissuers.cert-manager.io -o name >/dev/null 2>&1 \
    || missing+=("cert-manager CRDs (certificates.cert-manager.io, clusterissuers.cert-manager.io) not found: install cert-manager")
  issuer="$(sed -n 's/^ *cert-manager.io\/cluster-issuer: *//p' "$manifests/keyservice/ingress.yaml" | head -1)"
  if [ -n "$issuer" ] && ! "$KUBECTL" get clusterissuer "$issuer" -o name >/dev/null 2>&1; then
    missing+=("ClusterIssuer '$issuer' not found: create it (the Ingresses ask cert-manager for their TLS certificates from it)")
  fi
  [ ${#missing[@]} -eq 0 ] || fail 2 "${missing[@]}"
  if ! "$KUBECTL" get crd servicemonitors.monitoring.coreos.com prometheusrules.monitoring.coreos.com -o name >/dev/null 2>&1; then
    with_monitoring=false
    say "no Prometheus Operator CRDs: skipping the ServiceMonitors and PrometheusRule (load aspirate-output/prometheus/alert-rules.yaml into your Prometheus)"
  fi
fi

# --- secrets ---------------------------------------------------------------------------------------------------
umask 077
mkdir -p "$output"
client_secret_out="$output/client-0.secret"

hash_secret() { # reads the secret on stdin, prints KeyService's hash format
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "deploy: dotnet not found on PATH: deploy/tools/hash-client-secret.cs computes the client secret hash (.NET 10 SDK)" >&2
    return 1
  fi
  dotnet run --file "$script_dir/tools/hash-client-secret.cs"
}

generate_value() { # key name -> new value on stdout
  case "$1" in
    *-kek) openssl rand -base64 32 ;;
    redis-password) openssl rand -hex 32 ;;
    client-0-secret-hash)
      local secret
      secret="$(openssl rand -hex 32)"
      printf '%s' "$secret" >"$client_secret_out"
      printf '%s' "$secret" | hash_secret
      ;;
    *) echo "deploy: do not know how to generate '$1'" >&2; return 1 ;;
  esac
}

keys_of() { sed -n 's/^\([A-Za-z0-9_.-]*\)=.*$/\1/p' "$1"; }

if $dry_run; then
  # Rendering needs the env files; a copy with placeholders keeps real secrets out of the rendered output.
  base_dir="$output/dry-run-base"
  rm -rf "$base_dir"
  cp -R "$manifests" "$base_dir"
  find "$base_dir" -name '*.secret.env' -delete
  while IFS= read -r example; do
    sed 's/^\([A-Za-z0-9_.-]*\)=$/\1=dry-run-placeholder/' "$example" >"${example%.example}"
  done < <(find "$base_dir" -name '*.secret.env.example')
else
  base_dir="$manifests"
  while IFS= read -r example; do
    target="${example%.example}"
    if [ -f "$target" ]; then
      for key in $(keys_of "$example"); do
        grep -q "^$key=." "$target" || fail 2 "$target exists but has no value for '$key': fill it in (it is never overwritten)"
      done
      say "keeping existing ${target#"$manifests"/}"
      continue
    fi
    tmp="$target.tmp.$$"
    : >"$tmp"
    for key in $(keys_of "$example"); do
      value="$(generate_value "$key")" || { rm -f "$tmp"; fail 2 "could not generate '$key' for $target (see above): create that file by hand"; }
      printf '%s=%s\n' "$key" "$value" >>"$tmp"
    done
    mv "$tmp" "$target"
    say "generated ${target#"$manifests"/} (mode 600)"
  done < <(find "$manifests" -name '*.secret.env.example' | sort)
  if [ -z "$client_secret_file" ]; then
    client_secret_file="$client_secret_out"
  fi
  [ -s "$client_secret_file" ] || fail 2 "no clear-text secret of client 0 for the token check: keyservice.secret.env already existed, so pass --client-secret-file FILE"
fi

# --- overlay ---------------------------------------------------------------------------------------------------
overlay="$output/overlay"
mkdir -p "$overlay"
image_of() { # base image name in aspirate-output/kustomization.yaml -> the name it renders as
  awk -v want="$1" '$1 == "-" && $2 == "name:" { name = $3 } $1 == "newName:" && name == want { print $2; exit }' "$manifests/kustomization.yaml"
}
overlay_hash="$(printf '%s\n' "$domain" "$namespace" "$registry" "$tag" | openssl dgst -sha256 -r | cut -c1-16)"
client_id="$(sed -n 's/^ *KeyService__Clients__0__ClientId: *//p' "$manifests/keyservice/config-map.yaml")"
base_rel="$(realpath --relative-to="$overlay" "$base_dir")"

cat >"$overlay/kustomization.yaml" <<EOF
# Written by deploy/deploy.sh; regenerated on every run.
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: $namespace
resources:
- $base_rel
images:
- name: $(image_of keyservice)
  newName: $registry/keyservice
  newTag: "$tag"
- name: $(image_of totservice)
  newName: $registry/totservice
  newTag: "$tag"
patches:
- target: {kind: Ingress, name: keyservice}
  patch: |-
    - {op: replace, path: /spec/rules/0/host, value: $auth_host}
    - {op: replace, path: /spec/tls/0/hosts/0, value: $auth_host}
    - {op: replace, path: /spec/ingressClassName, value: $ingress_class}
- target: {kind: Ingress, name: totservice}
  patch: |-
    - {op: replace, path: /spec/rules/0/host, value: $mcp_host}
    - {op: replace, path: /spec/tls/0/hosts/0, value: $mcp_host}
    - {op: replace, path: /spec/ingressClassName, value: $ingress_class}
- target: {kind: Ingress, name: totservice-sessions}
  patch: |-
    - {op: replace, path: /spec/rules/0/host, value: $mcp_host}
    - {op: replace, path: /spec/tls/0/hosts/0, value: $mcp_host}
    - {op: replace, path: /spec/ingressClassName, value: $ingress_class}
- target: {kind: ConfigMap, name: keyservice-config}
  patch: |-
    - {op: replace, path: /data/KeyService__Issuer, value: "https://$auth_host"}
    - {op: replace, path: /data/KeyService__Clients__0__AllowedAudiences__0, value: "$audience"}
- target: {kind: ConfigMap, name: totservice-config}
  patch: |-
    - {op: replace, path: /data/TotService__Issuer, value: "https://$auth_host"}
    - {op: replace, path: /data/TotService__Audience, value: "$audience"}
# The ConfigMaps changed above are not in the pods' config hash: roll the pods when these values change.
- target: {kind: Deployment}
  patch: |-
    - {op: add, path: /spec/template/metadata/annotations/tot-mcp~1deploy-hash, value: "$overlay_hash"}
EOF
if [ "$namespace" != "tot-mcp" ]; then
  # The alert expressions name the namespace; follow it.
  sed -e "s/namespace=\"tot-mcp\"/namespace=\"$namespace\"/g" "$manifests/monitoring/prometheus-rule.yaml" >"$overlay/prometheus-rule.yaml"
  printf -- '- path: prometheus-rule.yaml\n' >>"$overlay/kustomization.yaml"
fi

# --- render and validate offline -------------------------------------------------------------------------------
rendered="$output/rendered.yaml"
forwards=()
cleanup() {
  local pid
  for pid in "${forwards[@]}"; do kill "$pid" 2>/dev/null || true; done
  # A real run's render holds the real Secrets: it must not outlive the run, whatever the outcome.
  $dry_run || rm -f "$rendered"
}
trap cleanup EXIT
"$KUBECTL" kustomize "$overlay" >"$rendered" || fail 3 "kubectl kustomize $overlay failed"
problems=()
for service in keyservice totservice; do
  grep -q "image: $registry/$service:$tag\$" "$rendered" || problems+=("$service does not run $registry/$service:$tag")
done
! grep -Eq '^ *image: (keyservice|totservice)$' "$rendered" || problems+=("an image placeholder was not replaced")
! grep -q 'example\.com' "$rendered" || problems+=("example.com is still in the output: $(grep -c 'example\.com' "$rendered") lines")
grep -q "host: $auth_host\$" "$rendered" || problems+=("no Ingress rule for $auth_host")
grep -q "host: $mcp_host\$" "$rendered" || problems+=("no Ingress rule for $mcp_host")
if grep -E '^  namespace: ' "$rendered" | grep -vq "namespace: $namespace\$"; then problems+=("objects outside namespace $namespace"); fi
if [ "$namespace" != "tot-mcp" ] && grep -q 'namespace="tot-mcp"' "$rendered"; then problems+=("alert rules still select namespace tot-mcp"); fi
[ ${#problems[@]} -eq 0 ] || fail 3 "${problems[@]}"
say "rendered $(grep -c '^kind: ' "$rendered") objects to $rendered: valid"

if $dry_run; then
  say "dry run: nothing applied, no secret generated (placeholders in $base_dir)"
  exit 0
fi

# --- apply -----------------------------------------------------------------------------------------------------
workloads=(statefulset/redis deployment/keyservice deployment/totservice)
revision_of() { # workload -> its current revision, empty when it does not exist
  case "$1" in
    deployment/*) "$KUBECTL" -n "$namespace" get "$1" -o 'jsonpath={.metadata.annotations.deployment\.kubernetes\.io/revision}' 2>/dev/null || true ;;
    statefulset/*) "$KUBECTL" -n "$namespace" get "$1" -o 'jsonpath={.status.updateRevision}' 2>/dev/null || true ;;
  esac
}
declare -A before=()
for w in "${workloads[@]}"; do before[$w]="$(revision_of "$w")"; done

selector=()
$with_monitoring || selector=(-l 'app.kubernetes.io/component!=monitoring')
say "applying $overlay"
"$KUBECTL" apply -k "$overlay" "${selector[@]}" || fail 4 "kubectl apply failed (nothing to roll back: see the error above)"

rollback() { # reason -> rolls back what this run changed, exits non-zero
  local code="$1" reason="$2" w after undone=() created=()
  printf 'deploy: FAILED: %s\n' "$reason" >&2
  "$KUBECTL" -n "$namespace" get pods -o wide >&2 || true
  for w in "${workloads[@]}"; do
    after="$(revision_of "$w")"
    if [ -z "${before[$w]}" ]; then
      created+=("$w")
    elif [ "$after" != "${before[$w]}" ]; then
      "$KUBECTL" -n "$namespace" rollout undo "$w" >&2 && undone+=("$w") || printf 'deploy: rollout undo %s failed\n' "$w" >&2
    fi
  done
  [ ${#undone[@]} -eq 0 ] || printf 'deploy: rolled back %s\n' "${undone[*]}" >&2
  [ ${#created[@]} -eq 0 ] || printf 'deploy: %s created by this run: nothing to roll back to (remove with kubectl delete -k %s)\n' "${created[*]}" "$overlay" >&2
  exit "$code"
}

for w in "${workloads[@]}"; do
  say "waiting for $w (up to $timeout)"
  "$KUBECTL" -n "$namespace" rollout status "$w" --timeout="$timeout" || rollback 4 "rollout of $w did not finish within $timeout (kubectl -n $namespace describe $w; kubectl -n $namespace logs $w)"
done

# --- checks through port-forwards ------------------------------------------------------------------------------
port_forward() { # service -> local port on stdout (kubectl picks a free one)
  local log="$output/port-forward-$1.log" pid port=""
  "$KUBECTL" -n "$namespace" port-forward "svc/$1" :8080 >"$log" 2>&1 &
  pid=$!
  forwards+=("$pid")
  for _ in $(seq 1 50); do
    port="$(sed -n 's/^Forwarding from 127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$log" | head -1)"
    [ -n "$port" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  [ -n "$port" ] || return 1
  printf '%s' "$port"
}

http() { curl -sS --max-time 10 -o "$output/response" -w '%{http_code}' "$@" 2>/dev/null || true; }

# Not in $(...): the forwards must be jobs of this shell so the EXIT trap can stop them.
port_forward keyservice >"$output/port-keyservice" || rollback 5 "kubectl port-forward svc/keyservice did not start"
ks="http://127.0.0.1:$(cat "$output/port-keyservice")"
port_forward totservice >"$output/port-totservice" || rollback 5 "kubectl port-forward svc/totservice did not start"
ts="http://127.0.0.1:$(cat "$output/port-totservice")"

[ "$(http "$ks/health")" = 200 ] || rollback 5 "keyservice /health is not 200"
[ "$(http "$ts/health")" = 200 ] || rollback 5 "totservice /health is not 200"
if [ "$(http "$ks/.well-known/jwks.json")" != 200 ] || ! grep -q '"kid"' "$output/response"; then
  rollback 5 "the JWKS at keyservice /.well-known/jwks.json is not 200 with at least one key"
fi

# Secrets and the token travel in curl's config on stdin, never on a command line.
status="$(printf 'user = "%s:%s"\n' "$client_id" "$(cat "$client_secret_file")" \
  | http -K - -d grant_type=client_credentials --data-urlencode "resource=$audience" "$ks/connect/token")"
token="$(sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p' "$output/response")"
rm -f "$output/response"
if [ "$status" != 200 ] || [ -z "$token" ]; then
  rollback 5 "no token from keyservice /connect/token for client '$client_id' (HTTP $status)"
fi
initialize='{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"deploy-check","version":"1.0"}}}'
mcp_headers=(-H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream')
[ "$(http "${mcp_headers[@]}" -d "$initialize" "$ts/mcp")" = 401 ] || rollback 5 "totservice /mcp does not refuse a request without a token"
status="$(printf 'header = "Authorization: Bearer %s"\n' "$token" | http -K - "${mcp_headers[@]}" -d "$initialize" "$ts/mcp")"
rm -f "$output/response"
[ "$status" = 200 ] || rollback 5 "totservice /mcp refused the token keyservice issued (HTTP $status): check TotService__Issuer/Audience and the JWKS"

say "deployed $registry/{keyservice,totservice}:$tag to namespace $namespace"
say "public hosts: https://$auth_host (tokens, JWKS) and https://$mcp_host/mcp; point their DNS at the ingress controller"
say "client '$client_id' secret: $client_secret_file (mode 600; hand it to the client, never commit it)"

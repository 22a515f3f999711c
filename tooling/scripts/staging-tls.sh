#!/usr/bin/env bash
# `pnpm staging:tls`: the staging stack rehearsed on this machine. nginx (Debian) terminates TLS
# with a throwaway CA and certificate in front of the API in production mode (the bundle the
# image runs, TRUST_PROXY naming only the proxy) and a worker, on PostgreSQL and Redis
# (DATABASE_URL: a fresh database on that server; REDIS_URL; otherwise throwaway servers).
# It proves the proxy contract with curl, then runs the Android staging scenarios over https
# with only that CA trusted by the JVM. Prints "tls: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
source tooling/scripts/staging-tls-lib.sh

work="$(mktemp -d /tmp/runway-tls.XXXXXX)"
chmod 0755 "$work"
pids=()
stop() {
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill -TERM "${pids[$i]}" 2>/dev/null; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
  [ -n "${redis_port:-}" ] && redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1
  rm -rf "$work"
}
trap stop EXIT
fail_early() {
  echo "$1"
  [ -n "${2:-}" ] && tail -n 20 "$2"
  echo "tls: ${passed} passed, $((failed + 1)) failed"
  exit 1
}

command -v nginx >/dev/null || fail_early "nginx is missing: apt-get install -y nginx"
step "build the bundles the images run"
pnpm --silent build >"$work/build.log" 2>&1 || fail_early "pnpm build failed" "$work/build.log"

step "PostgreSQL and Redis"
pnpm --silent exec tsx tooling/release/src/throwaway-postgres.ts "$work/database-url" \
  >"$work/postgres.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do [ -s "$work/database-url" ] && break; sleep 0.5; done
[ -s "$work/database-url" ] || fail_early "no PostgreSQL database" "$work/postgres.log"
database_url="$(cat "$work/database-url")"
if [ -n "${REDIS_URL:-}" ]; then
  redis_url="$REDIS_URL"
else
  redis_port="$(free_port)"
  redis-server --port "$redis_port" --bind 127.0.0.1 --daemonize yes --save '' \
    --maxmemory-policy noeviction --logfile "$work/redis.log" >/dev/null
  redis_url="redis://127.0.0.1:${redis_port}"
fi
echo "PostgreSQL: ${database_url%%@*}@… ; Redis: $redis_url"

step "throwaway CA, server certificate and JVM trust store"
make_certificates "$work"

api_port="$(free_port)"
tls_port="$(free_port)"
http_port="$(free_port)"
# nginx connects to the API from 127.0.0.2, the only address the API trusts for X-Forwarded-*;
# clients (curl, the JVM) come from 127.0.0.1 like any other untrusted address.
proxy_addr=127.0.0.2
# The scenarios' app is this version; an older one must be sent to the forced-update screen.
min_app_version=2.0.0
public_origin="https://localhost:${tls_port}"

step "API (production mode) and worker"
export NODE_ENV=production DATABASE_URL="$database_url" REDIS_URL="$redis_url" \
  JWT_SECRET="$(openssl rand -base64 32)" PII_HASH_KEY="$(openssl rand -base64 32)" \
  CORS_ORIGINS="$public_origin" PUBLIC_ORIGINS="$public_origin" TRUST_PROXY="$proxy_addr" \
  HOST=127.0.0.1 PORT="$api_port" WORKER_METRICS_PORT="$(free_port)" LOG_LEVEL=http \
  REFRESH_REUSE_INTERVAL=1 RATE_LIMIT_IP_PER_MINUTE=100000 RATE_LIMIT_REGISTER_PER_HOUR=100000 \
  RATE_LIMIT_REFRESH_PER_MINUTE=100000 RATE_LIMIT_IMPORTS_PER_MINUTE=100000 \
  MATCH_LOOKUPS_PER_DAY=10000000 MIN_APP_VERSION="$min_app_version"
node apps/api/dist/migrate.js >"$work/migrate.log" 2>&1 || fail_early "migrations failed" "$work/migrate.log"
node apps/api/dist/main.js >"$work/api.log" 2>&1 &
pids+=($!)
node apps/worker/dist/main.js >"$work/worker.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:${api_port}/readyz" || fail_early "the API did not become ready" "$work/api.log"

step "nginx: TLS on :${tls_port}, plain HTTP on :${http_port}"
write_nginx_conf "$work" "$tls_port" "$http_port" "$api_port" "$proxy_addr"
nginx -t -c "$work/nginx.conf" -p "$work" >"$work/nginx-test.log" 2>&1 ||
  fail_early "nginx -t failed" "$work/nginx-test.log"
nginx -c "$work/nginx.conf" -p "$work" >"$work/nginx.log" 2>&1 &
pids+=($!)
wait_for "$public_origin/readyz" --cacert "$work/ca.pem" || fail_early "nginx did not answer" "$work/error.log"

step "the proxy contract"
proxy_checks

step "Android staging scenarios over https (JVM trusting only the throwaway CA)"
android_scenarios

if [ "$failed" -gt 0 ]; then tail -n 20 "$work/api.log" "$work/worker.log" "$work/error.log"; fi
echo "tls: ${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]

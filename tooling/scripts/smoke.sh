#!/usr/bin/env bash
# The README's first command, checked: `pnpm start` on the embedded default (no PostgreSQL, no
# Redis), then a register -> login -> me -> refresh -> logout round trip with curl.
# Prints "smoke: N passed, N failed".
set -uo pipefail
port="${SMOKE_PORT:-3917}"
base="http://127.0.0.1:${port}"
data_dir="$(mktemp -d)"
log="${data_dir}/server.log"
passed=0
failed=0

if curl -s -o /dev/null "$base/healthz"; then
  echo "port $port is already in use; set SMOKE_PORT"
  echo "smoke: 0 passed, 1 failed"
  exit 1
fi

# Its own process group, so pnpm, tsx and node all stop together.
setsid env -u DATABASE_URL DATA_DIR="$data_dir" PORT="$port" pnpm start >"$log" 2>&1 &
server=$!
worker=""
redis_port=""
stop() {
  kill -TERM -- "-$server" 2>/dev/null
  wait "$server" 2>/dev/null
  [ -n "$worker" ] && kill -TERM "$worker" 2>/dev/null && wait "$worker" 2>/dev/null
  [ -n "$redis_port" ] && redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1
  rm -rf "$data_dir"
}
trap stop EXIT

for _ in $(seq 1 120); do
  curl -fsS "$base/readyz" >/dev/null 2>&1 && break
  sleep 0.5
done

check() { # name expected actual
  if [ "$2" = "$3" ]; then passed=$((passed + 1)); echo "ok   $1 ($3)"; else failed=$((failed + 1)); echo "FAIL $1: expected $2, got $3"; fi
}
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
post() { curl -sS -o "$data_dir/body" -w '%{http_code}' -X POST "$base$1" -H 'Content-Type: application/json; charset=UTF-8' -d "$2"; }

check "readyz" 200 "$(curl -sS -o /dev/null -w '%{http_code}' "$base/readyz")"
check "register" 201 "$(post /v1/auth/register '{"email":"smoke@example.com","password":"correct horse battery staple"}')"
check "login" 200 "$(post /v1/auth/login '{"email":"smoke@example.com","password":"correct horse battery staple"}')"
access="$(json "['tokens']['accessToken']" <"$data_dir/body" 2>/dev/null)"
refresh="$(json "['tokens']['refreshToken']" <"$data_dir/body" 2>/dev/null)"
check "me" 200 "$(curl -sS -o /dev/null -w '%{http_code}' "$base/v1/me" -H "Authorization: Bearer $access")"
check "refresh" 200 "$(post /v1/auth/refresh "{\"refreshToken\":\"$refresh\"}")"
rotated="$(json "['tokens']['refreshToken']" <"$data_dir/body" 2>/dev/null)"
check "import accepted" 202 "$(curl -sS -o "$data_dir/body" -w '%{http_code}' -X POST "$base/v1/imports" \
  -H "Authorization: Bearer $access" -H 'Idempotency-Key: smoke-1' -H 'Content-Type: application/json; charset=UTF-8' \
  -d '{"source":"smoke","defaultRegion":"KR","items":[{"email":"a@example.com"},{"phone":"010-1234-5678"},{"email":"A@example.com"}]}')"
import_id="$(json "['import']['id']" <"$data_dir/body" 2>/dev/null)"
status=""
for _ in $(seq 1 100); do
  status="$(curl -sS "$base/v1/imports/$import_id" -H "Authorization: Bearer $access" | json "['import']['status']" 2>/dev/null)"
  [ "$status" = completed ] && break
  sleep 0.1
done
check "import completed in-process (embedded dispatcher)" completed "$status"
# The console, built by `pnpm install`, is served by the same process.
check "console at /admin/" 200 "$(curl -sS -o "$data_dir/admin.html" -w '%{http_code}' "$base/admin/")"
check "console page is the built app" yes "$(grep -q '<title>Runway console</title>' "$data_dir/admin.html" && grep -q '/admin/assets/' "$data_dir/admin.html" && echo yes || echo no)"
# README: after `pnpm start`, `pnpm admin:create you@example.com`, then open /admin and sign in.
check "admin:create while pnpm start holds the embedded database" 0 "$(printf 'sunset-garnet-58-harbor\n' |
  env -u DATABASE_URL DATA_DIR="$data_dir" pnpm admin:create smoke.admin@example.com >"$data_dir/admin-create.log" 2>&1; echo $?)"
check "console sign-in as that admin" 200 "$(curl -sS -o /dev/null -w '%{http_code}' -X POST "$base/trpc/console.signIn" \
  -H 'Content-Type: application/json' -H 'X-Runway-CSRF: 1' -H "Origin: $base" \
  -d '{"email":"smoke.admin@example.com","password":"sunset-garnet-58-harbor"}')"
check "logout" 204 "$(post /v1/auth/logout "{\"refreshToken\":\"$rotated\"}")"
check "me after logout" 401 "$(curl -sS -o /dev/null -w '%{http_code}' "$base/v1/me" -H "Authorization: Bearer $access")"

# The images' contents (infra/docker/assemble.sh: the bundles plus `pnpm deploy --prod`), started
# outside the workspace as the Dockerfile's CMDs do: the API with error tracking loaded, the
# migration entry point, and the worker on a throwaway Redis, which drains on SIGTERM.
kill -TERM -- "-$server" 2>/dev/null
wait "$server" 2>/dev/null
check "pnpm build" 0 "$(pnpm build >"$data_dir/build.log" 2>&1; echo $?)"
image="$data_dir/image"
check "image contents assembled (pnpm deploy --prod)" 0 "$(bash infra/docker/assemble.sh "$image" >"$data_dir/assemble.log" 2>&1; echo $?)"
cat "$data_dir/assemble.log"
# Stack traces need the maps of our own code only (tooling/scripts/source-map.mjs).
first_party_map() { python3 -c 'import json, sys
m = json.load(open(sys.argv[1]))
print("yes" if any(s.endswith(".ts") for s in m["sources"]) and not any("node_modules" in s for s in m["sources"]) else "no")' "$1"; }
check "api image's source map names our sources only" yes "$(first_party_map "$image/api/apps/api/dist/main.js.map")"
check "worker image's source map names our sources only" yes "$(first_party_map "$image/worker/apps/worker/dist/main.js.map")"
check "migrate bundle (apps/api/dist/migrate.js)" 0 "$(cd "$image/api" && env -u DATABASE_URL DATA_DIR="$data_dir/bundle" \
  node apps/api/dist/migrate.js >"$data_dir/migrate.log" 2>&1; echo $?)"
# The image puts the console's build at /app/apps/admin/dist; here it is beside the API.
(cd "$image/api" && exec setsid env -u DATABASE_URL DATA_DIR="$data_dir/bundle" PORT="$port" \
  ADMIN_CONSOLE_DIR="$image/admin" SENTRY_DSN="http://key@127.0.0.1:9/1" node apps/api/dist/main.js) >"$log" 2>&1 &
server=$!
for _ in $(seq 1 120); do
  curl -fsS "$base/readyz" >/dev/null 2>&1 && break
  sleep 0.5
done
check "bundled server (api image contents) ready" 200 "$(curl -sS -o /dev/null -w '%{http_code}' "$base/readyz")"
check "bundled server (api image contents) serves the console" 200 "$(curl -sS -o /dev/null -w '%{http_code}' "$base/admin/")"

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
redis_port="$(free_port)"
worker_port="$(free_port)"
redis-server --port "$redis_port" --bind 127.0.0.1 --daemonize yes --save '' \
  --pidfile "$data_dir/redis.pid" --logfile "$data_dir/redis.log" >/dev/null
(cd "$image/worker" && exec env -u DATABASE_URL DATA_DIR="$data_dir/worker" \
  REDIS_URL="redis://127.0.0.1:$redis_port" WORKER_METRICS_PORT="$worker_port" \
  node apps/worker/dist/main.js) >"$data_dir/worker.log" 2>&1 &
worker=$!
for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$worker_port/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done
check "bundled worker (worker image contents) healthy" 200 \
  "$(curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$worker_port/healthz")"
kill -TERM "$worker" 2>/dev/null
wait "$worker"
check "bundled worker drains and exits 0 on SIGTERM" 0 "$?"
worker=""
if [ "$failed" -gt 0 ]; then tail -n 20 "$data_dir/worker.log" "$data_dir/migrate.log"; fi

if [ "$failed" -gt 0 ]; then tail -20 "$log"; fi
echo "smoke: ${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]

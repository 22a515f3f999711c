#!/usr/bin/env bash
# The Android client kit, checked: the generated Kotlin must match openapi.json, then the JVM
# client (clients/android/jvm) compiles it and runs its unit tests and the staging scenarios of
# docs/android/staging-e2e.md against a live API and worker on PostgreSQL (DATABASE_URL, already
# migrated) and Redis (REDIS_URL). Prints "android: N passed, N failed" (JUnit tests, plus one
# failure each for drift, for a build that produced no reports, and for a staging-scenario report
# that is missing, has fewer than 11 scenarios or skipped one).
set -uo pipefail
cd "$(dirname "$0")/../.."
passed=0
failed=0

if [ -z "${DATABASE_URL:-}" ] || [ -z "${REDIS_URL:-}" ]; then
  echo "DATABASE_URL and REDIS_URL must point at a migrated PostgreSQL and a Redis"
  echo "android: 0 passed, 1 failed"
  exit 1
fi

drift=0
pnpm --silent codegen:android:check || drift=1
# Generator constructs the API does not use yet (discriminated unions), compiled into the tests.
pnpm --silent codegen:android:check --input packages/retrofit-codegen/fixtures/shapes.openapi.json \
  --output clients/android/jvm/src/test/generated/kotlin --package dev.runway.fixture || drift=1

port="${ANDROID_E2E_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')}"
base="http://127.0.0.1:${port}"
work="$(mktemp -d)"
reuse_interval=1
# The scenarios' app is this version; an older one must be sent to the forced-update screen.
min_app_version=2.0.0

# One client sends every scenario, so the per-IP limits are lifted (they have their own suite);
# a short refresh reuse interval lets the stolen-token scenario wait one second instead of ten.
# The worker's metrics listener takes any free port: the default may be taken on this machine.
export PORT="$port" DATA_DIR="$work/data" LOG_LEVEL=warn REFRESH_REUSE_INTERVAL="$reuse_interval" \
  MIN_APP_VERSION="$min_app_version" \
  WORKER_METRICS_PORT=0 \
  RATE_LIMIT_IP_PER_MINUTE=100000 RATE_LIMIT_REGISTER_PER_HOUR=100000 \
  RATE_LIMIT_REFRESH_PER_MINUTE=100000 RATE_LIMIT_IMPORTS_PER_MINUTE=100000 \
  MATCH_LOOKUPS_PER_DAY=10000000

# Own process groups, so pnpm, tsx and node stop together.
api=""
worker=""
stop() {
  for pid in $worker $api; do kill -TERM -- "-$pid" 2>/dev/null; done
  for pid in $worker $api; do wait "$pid" 2>/dev/null; done
  rm -rf "$work"
}
trap stop EXIT

setsid pnpm start:api >"$work/api.log" 2>&1 &
api=$!
for _ in $(seq 1 120); do
  curl -fsS "$base/readyz" >/dev/null 2>&1 && break
  sleep 0.5
done
# After the API is ready, so both read the development secrets it wrote into DATA_DIR.
setsid pnpm start:worker >"$work/worker.log" 2>&1 &
worker=$!

if ! curl -fsS "$base/readyz" >/dev/null 2>&1; then
  echo "the API did not become ready on $base"
  tail -n 20 "$work/api.log"
  echo "android: 0 passed, $((drift + 1)) failed"
  exit 1
fi

reports=clients/android/jvm/target/surefire-reports
rm -rf "$reports"
(cd clients/android/jvm && mvn -B --no-transfer-progress test \
  -Drunway.baseUrl="$base/v1/" -Drunway.refreshReuseIntervalSeconds="$reuse_interval" \
  -Drunway.minAppVersion="$min_app_version") \
  >"$work/mvn.log" 2>&1
mvn_status=$?
grep -E "BUILD (SUCCESS|FAILURE)" "$work/mvn.log"

# One line per test on stderr; the sums on stdout. A skipped test counts as failed, and so does
# a run without the live scenarios: their report must exist with every scenario run.
e2e_report="$reports/TEST-dev.runway.client.StagingScenariosE2ETest.xml"
e2e_expected=11
read -r passed failed < <(python3 - "$reports" "$e2e_report" "$e2e_expected" <<'PY'
import glob, os, sys, xml.etree.ElementTree as ET
passed = failed = 0
e2e_report, e2e_expected = sys.argv[2], int(sys.argv[3])
if not os.path.exists(e2e_report):
    print(f"FAIL StagingScenariosE2ETest: no report ({e2e_report}), the live scenarios did not run", file=sys.stderr)
    failed += 1
else:
    cases = list(ET.parse(e2e_report).getroot().iter("testcase"))
    skipped = sum(case.find("skipped") is not None for case in cases)
    if len(cases) < e2e_expected or skipped:
        print(f"FAIL StagingScenariosE2ETest: {len(cases)} scenarios, {skipped} skipped "
              f"(expected at least {e2e_expected}, none skipped)", file=sys.stderr)
        failed += 1
for path in sorted(glob.glob(f"{sys.argv[1]}/TEST-*.xml")):
    for case in ET.parse(path).getroot().iter("testcase"):
        bad = any(case.find(tag) is not None for tag in ("failure", "error", "skipped"))
        name = f"{case.get('classname', '').rsplit('.', 1)[-1]}: {case.get('name')}"
        print(f"{'FAIL' if bad else 'ok  '} {name} ({case.get('time')} s)", file=sys.stderr)
        failed += bad
        passed += not bad
print(passed, failed)
PY
)
failed=$((failed + drift))
if [ "$mvn_status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1
fi
if [ "$failed" -gt 0 ]; then
  grep -A12 -E "<<< (FAILURE|ERROR)!$|COMPILATION ERROR|Could not resolve" "$work/mvn.log" | head -100
  tail -n 20 "$work/api.log" "$work/worker.log"
fi
echo "android: ${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]

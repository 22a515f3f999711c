#!/usr/bin/env bash
# The /v1 breaking-change gate as a CI suite: `pnpm openapi:compat` (the committed document
# against the released baseline) and the gate's own tests (edited copies that must fail or pass).
# Prints "compat: N passed, N failed": the gate counts as one test, plus each vitest test.
set -uo pipefail
cd "$(dirname "$0")/../.."
passed=0
failed=0

if pnpm --silent openapi:compat; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
fi

report=tooling/openapi-compat/gate-results.json
rm -f "$report"
pnpm --filter @runway/openapi-compat --silent test:gate
read -r gate_passed gate_failed < <(node -e '
  const fs = require("node:fs");
  try {
    const r = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
    const broken = r.testResults.filter((t) => t.status === "failed" && t.assertionResults.length === 0).length;
    console.log(r.numPassedTests, r.numFailedTests + broken);
  } catch {
    console.log(0, 1);
  }' "$report")
passed=$((passed + gate_passed))
failed=$((failed + gate_failed))

echo "compat: ${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# Migration gate: squawk lints every committed migration. Baseline migrations (applied before
# launch, on empty tables) use packages/db/squawk-baseline.toml, later ones packages/db/squawk.toml.
# Usage: migration-lint.sh [migrations folder]. Prints "squawk: N passed, N failed" (files).
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
folder="${1:-$root/packages/db/migrations}"
squawk="$root/node_modules/.bin/squawk"
strict="$root/packages/db/squawk.toml"
baseline_config="$root/packages/db/squawk-baseline.toml"
baseline="$(sed -n 's/^# baseline-through: //p' "$baseline_config")"
passed=0
failed=0
for file in "$folder"/*.sql; do
  name="$(basename "$file")"
  number="${name%%_*}"
  config="$strict"
  if [ "$((10#$number))" -le "$((10#$baseline))" ]; then config="$baseline_config"; fi
  if output="$("$squawk" --config "$config" --reporter gcc "$file" 2>&1)"; then
    passed=$((passed + 1))
    echo "ok   $name ($(basename "$config"))"
  else
    failed=$((failed + 1))
    echo "FAIL $name ($(basename "$config"))"
    echo "$output" | grep -E ': (warning|error):' | sed 's/^/     /'
  fi
done
echo "squawk: ${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]

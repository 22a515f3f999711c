#!/usr/bin/env bash
# Lays out what each image holds, from a built checkout (`pnpm install && pnpm build`):
#   OUT/api/apps/api/{dist,node_modules}
#   OUT/admin            the admin console's build (apps/admin/dist), empty until that app exists
#   OUT/worker/apps/worker/{dist,node_modules}
# node_modules come from `pnpm deploy --prod`: production dependencies only, at the lockfile's
# versions, with no workspace sources, tsx, TypeScript sources or dev tooling beside them.
# The Dockerfile runs this in its build stage; tooling/scripts/smoke.sh runs it and starts both
# bundles from OUT, outside the workspace, so a missing runtime dependency fails there.
set -euo pipefail
out="${1:?usage: assemble.sh OUT}"
cd "$(dirname "$0")/../.."
for app in api worker; do
  [ -f "apps/$app/dist/main.js" ] || { echo "apps/$app/dist/main.js is missing: run pnpm build"; exit 1; }
done
rm -rf "$out"
mkdir -p "$out/api/apps/api" "$out/admin" "$out/worker/apps/worker"
deploy() { # package target
  local staging="$out/.deploy-$2"
  pnpm --silent --filter "$1" deploy --prod "$staging" >/dev/null
  mv "$staging/node_modules" "$out/$2/apps/$2/node_modules"
  rm -rf "$staging"
}
deploy @runway/api-server api
deploy @runway/worker worker
cp -R apps/api/dist "$out/api/apps/api/dist"
cp -R apps/worker/dist "$out/worker/apps/worker/dist"
if [ -d apps/admin/dist ]; then cp -R apps/admin/dist/. "$out/admin/"; fi
# Source maps stay in the image so stack traces in logs and Sentry name the TypeScript lines of
# our own code (tooling/scripts/source-map.mjs: library frames keep their place in the bundle).
for target in api worker; do
  echo "$target: $(du -sh "$out/$target" | cut -f1) ($(find "$out/$target" -type f | wc -l) files)"
done

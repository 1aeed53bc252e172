#!/usr/bin/env bash
# The web UI benchmark (first useful view, recolour all buildings) in headless Debian Chromium;
# arguments go to web/e2e/bench.mjs (--runs N, --recolours N, --browser-settle MS, --url URL). See web/e2e/README.md.
# It first installs web/'s npm packages exactly as locked (playwright-core, axe-core) when they are missing, as
# ./test.sh does, and builds the web UI, so it measures the code of this checkout.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ ! -f "$root/web/node_modules/.package-lock.json" ] || [ "$root/web/package-lock.json" -nt "$root/web/node_modules/.package-lock.json" ]; then
  (cd "$root/web" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
(cd "$root/web" && npm run build --silent >&2)
exec node "$root/web/e2e/bench.mjs" "$@"

#!/usr/bin/env bash
# The web UI benchmark (first useful view, recolour all buildings) in headless Debian Chromium;
# arguments go to web/e2e/bench.mjs (--runs N, --recolours N, --url URL). See web/e2e/README.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec node "$root/web/e2e/bench.mjs" "$@"

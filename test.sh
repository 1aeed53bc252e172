#!/usr/bin/env bash
# Runs every test suite of Tweeling and ends with one line "N passed, N failed[, N skipped]".
# Installs what the tests need on a fresh machine first: GDAL (the real OGC API – Features client) and
# the mosquitto MQTT broker and clients from Debian, and the npm tools in .tools/ (spectral, the ADR linter)
# and web/ (the web UI and its unit tests).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
log="$(mktemp -t tweeling-test.XXXXXX)"
web_log="$(mktemp -t tweeling-web.XXXXXX)"
trap 'rm -f "$log" "$web_log"' EXIT

fail_setup() {
  echo "test.sh: $1" >&2
  echo "0 passed, 1 failed"
  exit 1
}

# 1. Debian packages for real third-party clients.
missing=()
command -v ogrinfo >/dev/null 2>&1 || missing+=(gdal-bin)
command -v mosquitto_pub >/dev/null 2>&1 || missing+=(mosquitto-clients)
[ -x /usr/sbin/mosquitto ] || missing+=(mosquitto)
[ -x /usr/bin/chromium ] || missing+=(chromium)  # the browser of the web UI's end-to-end tests (never a downloaded one)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "test.sh: installing ${missing[*]} (apt-get)…" >&2
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null; } \
    || fail_setup "could not install ${missing[*]} with apt-get; the tests need them."
fi

# 2. npm tools, exactly as locked.
if [ ! -f .tools/node_modules/.package-lock.json ] || [ .tools/package-lock.json -nt .tools/node_modules/.package-lock.json ]; then
  (cd .tools && npm ci --no-audit --no-fund --loglevel=error >&2) || fail_setup "npm ci in .tools/ failed."
fi

# 3. Build once, then run every test project (xUnit v3 on Microsoft.Testing.Platform).
dotnet build Tweeling.slnx -c Release --nologo -v quiet -clp:ErrorsOnly >&2 || fail_setup "the build failed."
dotnet test --solution Tweeling.slnx -c Release --no-build 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

count() { grep -E "^\s+$1: [0-9]+" "$log" | tail -n 1 | grep -oE '[0-9]+' || echo 0; }
passed=$(count succeeded)
failed=$(count failed)
skipped=$(count skipped)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1  # the runner failed without naming a failed test (crash, no tests found): count it.
fi

# 4. The web UI's unit tests (vitest in web/), exactly as locked; their counts from vitest's JSON report.
if [ ! -f web/node_modules/.package-lock.json ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
  (cd web && npm ci --no-audit --no-fund --loglevel=error >&2) || fail_setup "npm ci in web/ failed."
fi
(cd web && npx vitest run --reporter=default --reporter=json --outputFile="$web_log" >&2)
web_status=$?
read -r web_passed web_failed web_skipped < <(node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(r.numPassedTests, r.numFailedTests, r.numPendingTests + r.numTodoTests);' "$web_log" 2>/dev/null || echo "0 0 0")
if [ "$web_status" -ne 0 ] && [ "$web_failed" -eq 0 ]; then
  web_failed=1  # vitest failed without naming a failed test (a file that does not load): count it.
fi
passed=$((passed + web_passed))
failed=$((failed + web_failed))
skipped=$((skipped + web_skipped))

# 5. End-to-end tests of the web UI: Debian's Chromium (installed in step 1) driven by playwright-core
#    (web/ dev dependency, installed in step 4) against the real server, axe-core on every state
#    (web/e2e/README.md). They end with "e2e: N passed, N failed, N skipped", added to the total.
e2e_log="$(mktemp -t tweeling-e2e.XXXXXX)"
if (cd web && npm run build --silent >&2); then
  node web/e2e/run.mjs 2>&1 | tee "$e2e_log"
else
  echo "test.sh: building the web UI (npm run build in web/) failed; the end-to-end tests need it." >&2
fi
e2e_count() { grep -E '^e2e: [0-9]+ passed' "$e2e_log" | tail -n 1 | grep -oE "[0-9]+ $1" | grep -oE '[0-9]+' || echo 0; }
e2e_failed=$(e2e_count failed)
grep -qE '^e2e: [0-9]+ passed' "$e2e_log" || e2e_failed=1  # no summary: the runner itself broke.
passed=$((passed + $(e2e_count passed)))
failed=$((failed + e2e_failed))
skipped=$((skipped + $(e2e_count skipped)))
rm -f "$e2e_log"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]

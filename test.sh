#!/usr/bin/env bash
# Runs every test suite of Tweeling and ends with one line "N passed, N failed[, N skipped]".
# Installs what the tests need on a fresh machine first: GDAL (the real OGC API – Features client) and
# the mosquitto MQTT broker and clients from Debian, and the npm tools in .tools/ (spectral, the ADR linter).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
log="$(mktemp -t tweeling-test.XXXXXX)"
trap 'rm -f "$log"' EXIT

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
echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]

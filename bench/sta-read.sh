#!/usr/bin/env bash
# SensorThings reads at concurrent clients (issue 3 item 8): the `sta-read` verb of bench/Tweeling.Benchmarks, which
# measures the read mix with its own .NET generator and with wrk, interleaved (docs/adr/0005-wrk-load-generator.md).
# Arguments go to the verb (--clients 50 --history-days 30 --warmup 3 --duration 12 are its defaults for the target).
# It first installs Debian's wrk when missing (as root; it fails if it cannot), then builds and runs the verb in Release.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if ! command -v wrk >/dev/null; then
  if [[ "$(id -u)" != 0 ]]; then
    echo "sta-read.sh: wrk is missing; as root: apt-get install -y wrk" >&2
    exit 1
  fi
  # A fresh machine may not have Debian's package lists yet.
  apt-get install -y wrk >&2 || { apt-get update >&2 && apt-get install -y wrk >&2; } || {
    echo "sta-read.sh: could not install wrk with apt-get" >&2
    exit 1
  }
  command -v wrk >/dev/null || { echo "sta-read.sh: wrk is still not on PATH after apt-get install" >&2; exit 1; }
fi
exec dotnet run -c Release --project "$root/bench/Tweeling.Benchmarks" -- sta-read "$@"

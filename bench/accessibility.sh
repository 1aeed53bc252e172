#!/usr/bin/env bash
# The accessibility benchmark against pgRouting (docs/benchmarks.md, "Accessibility"): installs PostgreSQL 15
# with pgRouting when missing (Debian, as root), starts a throw-away cluster in a temporary directory (Unix
# socket only, no TCP port), runs the `bereikbaarheid` verb against it, then stops and removes the cluster.
# Arguments go to the verb (e.g. --scale 10 --runs 3).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/lib/throwaway-postgres.sh"
throwaway_postgres postgresql-15-pgrouting /usr/share/postgresql/15/extension/pgrouting.control

dotnet build "$root/bench/Tweeling.Benchmarks" -c Release --nologo -v quiet -clp:ErrorsOnly
dotnet "$root/bench/Tweeling.Benchmarks/bin/Release/net10.0/Tweeling.Benchmarks.dll" bereikbaarheid \
  --postgres "$postgres_connection" "$@"

#!/usr/bin/env bash
# The vector-tile benchmark against PostGIS ST_AsMVT (docs/benchmarks.md, "Vector tiles"): installs PostGIS for
# PostgreSQL 15 when missing (Debian, as root), starts a throw-away cluster in a temporary directory (Unix socket
# only, no TCP port), runs the `tiles` verb against it, then stops and removes the cluster.
# Arguments go to the verb (default: --clients 50 --duration 20 --warmup 5).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/lib/throwaway-postgres.sh"
throwaway_postgres postgresql-15-postgis-3 /usr/share/postgresql/15/extension/postgis.control

[[ $# -gt 0 ]] || set -- --clients 50 --duration 20 --warmup 5
dotnet build "$root/bench/Tweeling.Benchmarks" -c Release --nologo -v quiet -clp:ErrorsOnly
dotnet "$root/bench/Tweeling.Benchmarks/bin/Release/net10.0/Tweeling.Benchmarks.dll" tiles \
  --postgres "$postgres_connection" "$@"

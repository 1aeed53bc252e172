#!/usr/bin/env bash
# The accessibility benchmark against pgRouting (docs/benchmarks.md, "Accessibility"): installs PostgreSQL 15
# with pgRouting when missing (Debian, as root), starts a throw-away cluster in a temporary directory (Unix
# socket only, no TCP port), runs the `bereikbaarheid` verb against it, then stops and removes the cluster.
# Arguments go to the verb (e.g. --scale 10 --runs 3).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pg=/usr/lib/postgresql/15/bin

if [[ ! -f /usr/share/postgresql/15/extension/pgrouting.control ]]; then
  if [[ "$(id -u)" != 0 ]]; then
    echo "pgRouting for PostgreSQL 15 is missing; as root: apt-get install -y postgresql-15-pgrouting" >&2
    exit 1
  fi
  apt-get install -y postgresql-15-pgrouting
fi

# PostgreSQL refuses to run as root: as root the cluster belongs to the postgres user the package created.
as=()
if [[ "$(id -u)" == 0 ]]; then
  as=(runuser -u postgres --)
fi

work="$(mktemp -d /tmp/tweeling-pgrouting.XXXXXX)"
cleanup() {
  "${as[@]}" "$pg/pg_ctl" -D "$work/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
[[ ${#as[@]} -eq 0 ]] || chown postgres "$work"

"${as[@]}" "$pg/initdb" -D "$work/data" -A trust -U postgres >/dev/null
# The socket lives in the temporary directory, so any port number is free there; no TCP listener at all.
"${as[@]}" "$pg/pg_ctl" -D "$work/data" -l "$work/log" -w \
  -o "-k $work -c listen_addresses='' -p 5432 -c shared_buffers=256MB -c work_mem=64MB" start >/dev/null

dotnet build "$root/bench/Tweeling.Benchmarks" -c Release --nologo -v quiet -clp:ErrorsOnly
dotnet "$root/bench/Tweeling.Benchmarks/bin/Release/net10.0/Tweeling.Benchmarks.dll" bereikbaarheid \
  --postgres "Host=$work;Port=5432;Username=postgres;Database=postgres" "$@"

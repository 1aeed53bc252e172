# Sourced by the benchmark scripts that compare with PostgreSQL (accessibility.sh: pgRouting; tiles.sh: PostGIS).
# `throwaway_postgres PACKAGE CONTROL_FILE` installs the Debian package when its extension's control file is
# missing (as root), starts a PostgreSQL 15 cluster in a temporary directory (Unix socket only, no TCP listener),
# removes it again when the script exits, and sets `postgres_connection` to an Npgsql connection string for it.
pg=/usr/lib/postgresql/15/bin

throwaway_postgres() {
  local package="$1" control="$2"
  if [[ ! -f "$control" ]]; then
    if [[ "$(id -u)" != 0 ]]; then
      echo "$package is missing; as root: apt-get install -y $package" >&2
      exit 1
    fi
    apt-get install -y "$package"
  fi

  # PostgreSQL refuses to run as root: as root the cluster belongs to the postgres user the package created.
  postgres_as=()
  if [[ "$(id -u)" == 0 ]]; then
    postgres_as=(runuser -u postgres --)
  fi

  postgres_work="$(mktemp -d /tmp/tweeling-postgres.XXXXXX)"
  trap 'stop_throwaway_postgres' EXIT
  [[ ${#postgres_as[@]} -eq 0 ]] || chown postgres "$postgres_work"

  "${postgres_as[@]}" "$pg/initdb" -D "$postgres_work/data" -A trust -U postgres >/dev/null
  # The socket lives in the temporary directory, so any port number is free there; no TCP listener at all.
  "${postgres_as[@]}" "$pg/pg_ctl" -D "$postgres_work/data" -l "$postgres_work/log" -w \
    -o "-k $postgres_work -c listen_addresses='' -p 5432 -c shared_buffers=256MB -c work_mem=64MB" start >/dev/null
  postgres_connection="Host=$postgres_work;Port=5432;Username=postgres;Database=postgres"
}

stop_throwaway_postgres() {
  "${postgres_as[@]}" "$pg/pg_ctl" -D "$postgres_work/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$postgres_work"
}

#!/usr/bin/env bash
# The server's resident memory for the demo city after its start-up work (DESIGN.md §7: ≤ 1 GB; docs/benchmarks.md,
# "Server memory of the demo city"): generates a demo city of --scale N (default 1) into a temporary store, starts
# `tweeling serve --no-demo` on it, waits for the start-up work's last event (4009, 4010 or 4011), and prints the server's
# resident memory (VmRSS) and high-water mark (VmHWM) 10 s later. Extra environment (e.g. DOTNET_gcServer=0) reaches the server.
# The load's peak is in bench/tiles.sh's and sta-read's last lines.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
scale=1
[ "${1:-}" = "--scale" ] && scale="$2"
work="$(mktemp -d -t tweeling-memory.XXXXXX)"
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT

"$root/tweeling" demo --scale "$scale" --store "$work/city.db" > /dev/null
# tweeling execs the server, so $! is the server's own process.
"$root/tweeling" serve --no-demo --store "$work/city.db" --urls "http://127.0.0.1:0" --mqtt-port 0 > "$work/log" 2>&1 &
server=$!
started=$(date +%s)
until grep -Eq '"EventId":40(09|10|11),' "$work/log"; do
  kill -0 "$server" 2>/dev/null || { echo "server-memory: the server stopped; its log:" >&2; cat "$work/log" >&2; exit 1; }
  [ $(( $(date +%s) - started )) -lt 900 ] || { echo "server-memory: no end of the start-up work within 900 s" >&2; exit 1; }
  sleep 2
done
ended=$(( $(date +%s) - started ))
sleep 10
echo "# server-memory --scale $scale, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
grep -Eo '"EventId":40(09|10|11),[^}]*"Message":"[^"]*' "$work/log" | sed 's/"LogLevel":"[A-Za-z]*","Category":"[^"]*",//'
echo "start-up work ended after ${ended} s; 10 s later: $(awk '/^VmRSS|^VmHWM/{printf "%s %d MB  ", $1, $2/1024}' "/proc/$server/status")"

#!/usr/bin/env bash
# Rendering off the event loop: do uncached views delay cached answers? Prints one table from this run.
#
#   bash bench/render.sh [path/to/evaluation_result.csv]
#
# Needs wrk (apt-get install wrk). On loopback, with the released results:
#   1. the cached catalog page /models/ under wrk (1 thread, 8 connections, 10 s), alone;
#   2. the same while a second wrk (1 thread, 4 connections) asks for catalog views that are never the same
#      twice (sort, order, page and two chosen columns from a counter) as fast as it can;
#   3. server-side time of an uncached catalog view: 400 distinct views asked one at a time, timed by the
#      server's access log (from when a worker starts building the answer to when it is queued), median.
# Targets: p99 of (2) at most 10 ms; (3) a 1 ms median. 2 shared cores run the server and both clients.
set -euo pipefail
cd "$(dirname "$0")/.."
csv=${1:-../shared/data/massive-sft/evaluation_result.csv}
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 2; }
swift build -c release --static-swift-stdlib --product sftatlas >/dev/null
bin=$PWD/.build/release/sftatlas
out=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$out"' EXIT
"$bin" ingest "$csv" --db "$out/atlas.sqlite" 2>/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# Appended (not truncated) so that the log can be emptied while the server writes to it.
"$bin" serve --db "$out/atlas.sqlite" --port "$port" --access-log 2>>"$out/access.log" &
pid=$!
for _ in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/models/" && break; sleep 0.1; done
cols=$(curl -sf "http://127.0.0.1:$port/api/v1/benchmarks.csv" | tail -n +2 | cut -d, -f1 | tr '\n' ' ')
lua_cols=$(for c in $cols; do printf '"%s",' "$c"; done)
cat >"$out/distinct.lua" <<LUA
local cols = {${lua_cols%,}}
local n = 0
request = function()
  n = n + 1
  local a, b = cols[n % #cols + 1], cols[math.floor(n / #cols) % #cols + 1]
  local order = (math.floor(n / 7) % 2 == 0) and "asc" or "desc"
  return wrk.format("GET", "/models/?sort=" .. a .. "&order=" .. order .. "&page=" .. (n % 20 + 1) .. "&cols=" .. a .. "," .. b .. "&epochs=" .. (n % 10 + 1))
end
LUA
p99() { awk '/^ +99%/ { print $2 }'; }
rps() { awk '/^Requests\/sec/ { print $2 }'; }
wrk -t1 -c8 -d3s "http://127.0.0.1:$port/models/" >/dev/null # warm-up
alone=$(wrk -t1 -c8 -d10s --latency "http://127.0.0.1:$port/models/")
wrk -t1 -c4 -d12s --latency -s "$out/distinct.lua" "http://127.0.0.1:$port/" >"$out/flood.txt" &
flood=$!
sleep 1
together=$(wrk -t1 -c8 -d10s --latency "http://127.0.0.1:$port/models/")
wait "$flood"
: >"$out/access.log"
python3 - "$port" "$cols" <<'PY'
import sys, urllib.request
port, cols = sys.argv[1], sys.argv[2].split()
for n in range(400):
    a, b = cols[n % len(cols)], cols[(n // len(cols)) % len(cols)]  # 400 pairs, none repeated (30 columns)
    url = f"http://127.0.0.1:{port}/models/?sort={a}&order={'desc' if n % 2 else 'asc'}&page={n % 20 + 1}&cols={a},{b}&samples=1000"
    urllib.request.urlopen(url).read()
PY
median=$(grep -a '"GET /models/?' "$out/access.log" | sed -E 's/.* ([0-9.]+)ms$/\1/' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] " ms (" NR " views)" }')
echo "machine: $(nproc) cores; server, both clients and this script share them"
printf '%-62s %12s %10s\n' "case" "requests/s" "p99"
printf '%-62s %12s %10s\n' "cached /models/, alone" "$(rps <<<"$alone")" "$(p99 <<<"$alone")"
printf '%-62s %12s %10s\n' "cached /models/, while distinct views are asked for" "$(rps <<<"$together")" "$(p99 <<<"$together")"
printf '%-62s %12s %10s\n' "  (the flood of distinct catalog views itself)" "$(rps <"$out/flood.txt")" "$(p99 <"$out/flood.txt" || true)"
echo "uncached catalog view, server-side median: $median (target 1 ms)"

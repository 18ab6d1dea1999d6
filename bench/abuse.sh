#!/usr/bin/env bash
# Soak-and-abuse benchmark for `sftatlas serve`. Prints one table; every figure is from this run.
#
#   bash bench/abuse.sh [path/to/evaluation_result.csv]
#
# It ingests the released CSV into a temporary database, then for a baseline and each of seven attacks
# starts a fresh server (`serve --host 127.0.0.1 --port <free port>`, default flags), waits for `/` to
# answer, runs the attack from source address 127.0.0.2 while a normal client on 127.0.0.1 asks for `/`,
# `/models/`, `/api/v1/bases.json`, `/figures/` every 50 ms (fresh connection, 2 s for a complete 200),
# checks the server still answers `/` at the end, and stops it with SIGTERM (it must exit 0).
# Attacks: distinct-urls (cache-missing valid URLs, 404s, compare pairs, 32 connections),
# junk-queries (huge/negative numbers, unknown parameters, cache-busted downloads, GET and HEAD on 4
# keep-alive connections), non-reading (800 connections asking for a 3 MB download and never reading),
# non-reading-spread (1,200 of them from 20 addresses, 127.0.0.2-21, past the per-address cap),
# slowloris (1,000 connections sending a byte of a request head every 5 s), slowloris-spread (1,200 from
# 20 addresses), pipelining (10 pipelined
# SQLite downloads per connection, and 10,000 pipelined catalog requests on one), cache-busting (distinct
# catalog views and chart URLs on 4 connections), fd-limit (the server under `prlimit --nofile=256`
# with 400 idle or half-sent connections from 8 addresses).
# Per case: the normal client's requests, success rate, p50/p99 latency, the server's peak RSS (VmHWM
# and the highest 200 ms VmRSS sample), its CPU % during the attack (100 = one core), alive, exit code,
# and what the attacker saw. Targets: success 100%, p99 <= 50 ms, peak RSS <= 128 MB, alive, exit 0;
# MISS marks a miss. It exits 0 either way: it is a benchmark, not a test.
#
# Time: 10 cases x (ABUSE_SECONDS, default 20 s, + about 3-8 s to start, check and stop) = about 3-4
# minutes, plus a few seconds of ingest. All traffic is on loopback; every loop is bounded.
#
# Environment:
#   SFTATLAS_BIN     the binary (default .build/release/sftatlas, then .build/debug/sftatlas). This script
#                    does not build: `swift build -c release --static-swift-stdlib --product sftatlas` first.
#   ABUSE_SECONDS    seconds per attack (default 20; 5 for a quick look)
#   ABUSE_ATTACKS    comma-separated subset of the attacks above (default all; the baseline always runs)
#   ABUSE_SERVE_FLAGS  extra flags for every `serve`, e.g. "--max-connections 512" (default none)
# Needs python3 (standard library only) and prlimit (util-linux; without it Python's setrlimit is used).
set -euo pipefail
cd "$(dirname "$0")/.."
csv=${1:-../shared/data/massive-sft/evaluation_result.csv}
seconds=${ABUSE_SECONDS:-20}
[[ $seconds =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "ABUSE_SECONDS must be a number of seconds, not '$seconds'" >&2; exit 2; }

command -v python3 >/dev/null || { echo "needs python3" >&2; exit 2; }
command -v prlimit >/dev/null || echo "note: prlimit (util-linux) not found; the fd-limit case uses Python's setrlimit" >&2
[ -f "$csv" ] || { echo "no CSV at $csv (give its path as the first argument)" >&2; exit 2; }

if [ -n "${SFTATLAS_BIN:-}" ]; then
  bin=$SFTATLAS_BIN
  [ -x "$bin" ] || { echo "SFTATLAS_BIN=$bin is not an executable" >&2; exit 2; }
elif [ -x .build/release/sftatlas ]; then
  bin=.build/release/sftatlas
elif [ -x .build/debug/sftatlas ]; then
  bin=.build/debug/sftatlas
  echo "note: no release build; using the debug binary (figures are not release figures)" >&2
else
  echo "no binary: build it (swift build -c release --static-swift-stdlib --product sftatlas) or set SFTATLAS_BIN" >&2
  exit 2
fi
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sftatlas-abuse.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

"$bin" ingest "$csv" --db "$tmp/atlas.sqlite" >"$tmp/ingest.log" 2>&1 || { cat "$tmp/ingest.log" >&2; exit 1; }

flags=()
for f in ${ABUSE_SERVE_FLAGS:-}; do flags+=(--serve-flag="$f"); done
# Exits 0 when the table is printed, whatever it shows; non-zero only if the benchmark itself failed.
python3 bench/abuse.py --bin "$bin" --db "$tmp/atlas.sqlite" --workdir "$tmp" --seconds "$seconds" \
  --attacks "${ABUSE_ATTACKS:-}" ${flags[@]+"${flags[@]}"}

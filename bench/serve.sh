#!/usr/bin/env bash
# Web service benchmark (issue: web service). Prints one table; every figure is from this run.
#
#   bash bench/serve.sh [path/to/evaluation_result.csv]
#
# Needs wrk and nginx (apt-get install wrk nginx) and Datasette (pip install datasette). Everything runs on
# loopback on this machine: wrk with 2 threads and 32 connections for 10 s per case, after a 2 s warm-up.
#   1. /api/v1/models.json (every model): sftatlas vs nginx serving the same bytes as a file vs Datasette
#      serving the runs table's rows from the same SQLite file (--immutable, all rows, JSON).
#   2. the catalog page /models/ vs Datasette's HTML table page of the runs.
#   3. a filtered query (one base, LoRA only), JSON, vs Datasette's equivalent.
#   4. a chart PNG (served from memory after its first request), and nginx serving the same PNG bytes.
# Then the server's resident memory after all of it.
set -euo pipefail
cd "$(dirname "$0")/.."
csv=${1:-../shared/data/massive-sft/evaluation_result.csv}
for tool in wrk nginx datasette curl; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install wrk nginx curl; pip install datasette)" >&2; exit 2; }
done
swift build -c release --static-swift-stdlib --product sftatlas >/dev/null
bin=$PWD/.build/release/sftatlas
out=$(mktemp -d)
chmod 755 "$out" # nginx's workers run as another user
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; sleep 0.5; rm -rf "$out"; }
trap cleanup EXIT

"$bin" ingest "$csv" --db "$out/atlas.sqlite" 2>/dev/null
"$bin" serve --db "$out/atlas.sqlite" --port 18080 2>"$out/serve.log" & pids+=($!)
server_pid=$!
datasette serve "$out/atlas.sqlite" --immutable "$out/atlas.sqlite" --port 18082 --setting max_returned_rows 5000 >/dev/null 2>&1 & pids+=($!)
for _ in $(seq 1 100); do curl -sf -o /dev/null http://127.0.0.1:18080/ && curl -sf -o /dev/null http://127.0.0.1:18082/ && break; sleep 0.2; done

mkdir -p "$out/www"
curl -sf http://127.0.0.1:18080/api/v1/models.json -o "$out/www/models.json"
curl -sf http://127.0.0.1:18080/figures/gain-matrix-full.png -o "$out/www/chart.png"
cat >"$out/nginx.conf" <<CONF
worker_processes auto;
pid $out/nginx.pid;
error_log $out/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on; tcp_nodelay on; keepalive_requests 1000000;
  types { application/json json; image/png png; }
  server { listen 127.0.0.1:18081; root $out/www; }
}
CONF
nginx -c "$out/nginx.conf" -p "$out"
pids+=("$(cat "$out/nginx.pid")")

echo "machine: $(nproc) cores, shared and noisy: wrk, the servers and everything else share them; compare within this run"
printf '%-58s %12s %10s %10s\n' case requests/s p99 bytes
run() { # name url
  wrk -t2 -c32 -d2s "$2" >/dev/null 2>&1 || true
  local r
  r=$(wrk -t2 -c32 -d10s --latency "$2" 2>&1)
  local rps p99 bytes
  rps=$(echo "$r" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$r" | awk '$1=="99%" {print $2}')
  bytes=$(curl -s "$2" | wc -c)
  printf '%-58s %12s %10s %10s\n' "$1" "$rps" "$p99" "$bytes"
  echo "$rps" >"$out/rps-$(printf '%s' "$1" | tr 'A-Z' 'a-z' | tr -c 'a-z0-9' '_')"
}
run "1 sftatlas /api/v1/models.json" http://127.0.0.1:18080/api/v1/models.json
run "1 nginx, the same bytes as a file" http://127.0.0.1:18081/models.json
run "1 datasette runs.json, all rows" "http://127.0.0.1:18082/atlas/runs.json?_size=max&_shape=array"
run "2 sftatlas /models/ (catalog page)" http://127.0.0.1:18080/models/
run "2 datasette /atlas/runs (table page)" http://127.0.0.1:18082/atlas/runs
run "3 sftatlas models.json?base=qwen2.5-7b&method=lora" "http://127.0.0.1:18080/api/v1/models.json?base=qwen2.5-7b&method=lora"
run "3 datasette runs.json?base_id=qwen2.5-7b&method=lora" "http://127.0.0.1:18082/atlas/runs.json?base_id=qwen2.5-7b&method=lora&_shape=array"
run "4 sftatlas /figures/gain-matrix-full.png" http://127.0.0.1:18080/figures/gain-matrix-full.png
run "4 nginx, the same PNG as a file" http://127.0.0.1:18081/chart.png
rss=$(awk '/VmRSS/ {print $2}' "/proc/$server_pid/status")
echo "sftatlas resident memory after the run: $((rss / 1024)) MB (target <= 64 MB)"
ratio() { echo "scale=2; $(cat "$out/rps-$1") / $(cat "$out/rps-$2")" | bc -l; }
echo "ratios: (1) vs nginx $(ratio 1_sftatlas__api_v1_models_json 1_nginx__the_same_bytes_as_a_file)x (target >= 0.8), vs datasette $(ratio 1_sftatlas__api_v1_models_json 1_datasette_runs_json__all_rows)x (target >= 50);" \
     "(2) $(ratio 2_sftatlas__models___catalog_page_ 2_datasette__atlas_runs__table_page_)x; (3) $(ratio 3_sftatlas_models_json_base_qwen2_5_7b_method_lora 3_datasette_runs_json_base_id_qwen2_5_7b_method_lora)x (targets >= 20);" \
     "(4) PNG vs nginx $(ratio 4_sftatlas__figures_gain_matrix_full_png 4_nginx__the_same_png_as_a_file)x"

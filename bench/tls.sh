#!/usr/bin/env bash
# HTTPS benchmark (issue: HTTPS with OpenSSL). Prints one table; every figure is from this run.
#
#   bash bench/tls.sh [path/to/evaluation_result.csv]
#
# Needs wrk, nginx, curl and openssl. One self-signed P-256 certificate serves both: sftatlas
# (serve --tls-cert/--tls-key) and nginx (TLS 1.2 and 1.3, a shared session cache) serving the same bytes
# of /api/v1/catalog.json as a file. wrk, 2 threads, 32 connections, 10 s per case after a 2 s warm-up:
#   1. keep-alive: requests per second over established TLS connections;
#   2. a new connection (and a full handshake) per request: wrk with Connection: close.
set -euo pipefail
cd "$(dirname "$0")/.."
csv=${1:-../shared/data/massive-sft/evaluation_result.csv}
for tool in wrk nginx curl openssl; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install wrk nginx curl openssl)" >&2; exit 2; }
done
swift build -c release --static-swift-stdlib --product sftatlas >/dev/null
bin=$PWD/.build/release/sftatlas
out=$(mktemp -d)
chmod 755 "$out"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; sleep 0.5; rm -rf "$out"; }
trap cleanup EXIT

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$out/key.pem" -out "$out/cert.pem" -days 2 -subj /CN=localhost 2>/dev/null
chmod 644 "$out/key.pem"
"$bin" ingest "$csv" --db "$out/atlas.sqlite" 2>/dev/null
"$bin" serve --db "$out/atlas.sqlite" --port 18443 --tls-cert "$out/cert.pem" --tls-key "$out/key.pem" 2>"$out/serve.log" & pids+=($!)
for _ in $(seq 1 100); do curl -skf -o /dev/null https://127.0.0.1:18443/ && break; sleep 0.2; done
mkdir -p "$out/www/api/v1"
curl -skf https://127.0.0.1:18443/api/v1/catalog.json -o "$out/www/api/v1/catalog.json"
cat >"$out/nginx.conf" <<CONF
worker_processes auto;
pid $out/nginx.pid;
error_log $out/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on; tcp_nodelay on; keepalive_requests 1000000;
  types { application/json json; }
  ssl_protocols TLSv1.2 TLSv1.3;
  ssl_session_cache shared:atlas:10m;
  server { listen 127.0.0.1:18444 ssl; ssl_certificate $out/cert.pem; ssl_certificate_key $out/key.pem; root $out/www; }
}
CONF
nginx -c "$out/nginx.conf" -p "$out"
pids+=("$(cat "$out/nginx.pid")")

echo "machine: $(nproc) cores, shared and noisy; wrk and the servers share them: compare within this run"
printf '%-52s %12s %10s %10s\n' case requests/s p99 bytes
run() { # name url [wrk options]
  local name=$1 url=$2; shift 2
  wrk -t2 -c32 -d2s "$@" "$url" >/dev/null 2>&1 || true
  local r rps p99 bytes
  r=$(wrk -t2 -c32 -d10s --latency "$@" "$url" 2>&1)
  rps=$(echo "$r" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$r" | awk '$1=="99%" {print $2}')
  bytes=$(curl -sk "$url" | wc -c)
  printf '%-52s %12s %10s %10s\n' "$name" "$rps" "$p99" "$bytes"
  echo "$rps" >"$out/rps-$(printf '%s' "$name" | tr 'A-Z' 'a-z' | tr -c 'a-z0-9' '_')"
}
run "1 sftatlas https catalog.json, keep-alive" https://127.0.0.1:18443/api/v1/catalog.json
run "1 nginx https, the same bytes, keep-alive" https://127.0.0.1:18444/api/v1/catalog.json
run "2 sftatlas https, a handshake per request" https://127.0.0.1:18443/api/v1/catalog.json -H "Connection: close"
run "2 nginx https, a handshake per request" https://127.0.0.1:18444/api/v1/catalog.json -H "Connection: close"
ratio() { echo "scale=2; $(cat "$out/rps-$1") / $(cat "$out/rps-$2")" | bc -l; }
echo "ratios: keep-alive $(ratio 1_sftatlas_https_catalog_json__keep_alive 1_nginx_https__the_same_bytes__keep_alive)x nginx (target >= 0.8);" \
     "new connections $(ratio 2_sftatlas_https__a_handshake_per_request 2_nginx_https__a_handshake_per_request)x nginx"

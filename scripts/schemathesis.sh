#!/usr/bin/env bash
# Property-based test of the API against its own OpenAPI description (pip install schemathesis; 4.x).
#
#   bash scripts/schemathesis.sh [path/to/evaluation_result.csv] [EXAMPLES]
#
# Ingests the released results (or the synthetic demo when the file is absent), serves them on a free
# loopback port, and runs `schemathesis run` with EXAMPLES (default 200) examples per operation, every
# check on. Exits with schemathesis's status: 0 when no request the description allows was refused, no
# answer broke its schema, and nothing failed on the server.
set -euo pipefail
cd "$(dirname "$0")/.."
csv=${1:-../shared/data/massive-sft/evaluation_result.csv}
examples=${2:-200}
command -v schemathesis >/dev/null || { echo "needs schemathesis (pip install schemathesis)" >&2; exit 2; }
bin=${SFTATLAS_BIN:-.build/release/sftatlas}
[ -x "$bin" ] || swift build -c release --static-swift-stdlib --product sftatlas >/dev/null
out=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$out"' EXIT
if [ -f "$csv" ]; then "$bin" ingest "$csv" --db "$out/atlas.sqlite" 2>/dev/null; else "$bin" ingest --demo --db "$out/atlas.sqlite" 2>/dev/null; fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin" serve --db "$out/atlas.sqlite" --port "$port" 2>"$out/serve.log" &
pid=$!
for _ in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
schemathesis run "http://127.0.0.1:$port/api/v1/openapi.json" --max-examples "$examples" --checks all --seed "${SCHEMATHESIS_SEED:-1}" --no-color

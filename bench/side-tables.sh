#!/usr/bin/env bash
# The release with side tables: synthetic perplexities and weight changes generated from its scores
# (atlas-bench side-tables; real ones were not released), ingested with --side, then the claims' verdicts
# and the side-data figures drawn. The verdicts show the machinery works, not that the paper is right:
# the generated tables are shaped after the paper's findings.
#
#   bash bench/side-tables.sh [path/to/evaluation_result.csv]
set -euo pipefail
cd "$(dirname "$0")/.."
csv=${1:-../shared/data/massive-sft/evaluation_result.csv}
swift build -c release --static-swift-stdlib --product sftatlas >/dev/null
swift build -c release --product atlas-bench >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
.build/release/atlas-bench side-tables "$csv" "$out" >/dev/null
wc -l "$out"/*.csv | sed 's|/tmp/[^ ]*/||'
.build/release/sftatlas ingest "$csv" --side "$out/synthetic-perplexity.csv" --side "$out/synthetic-weight-changes.csv" --db "$out/atlas.sqlite"
sqlite3 "$out/atlas.sqlite" "select json from analyses where name = 'claims'" | python3 -c '
import json, sys
for c in json.load(sys.stdin)["claims"]:
    print("%-18s %-18s %s" % (c["id"], c["verdict"], c["statistic"][:150]))'
.build/release/sftatlas figures --db "$out/atlas.sqlite" --out "$out/figures" >/dev/null
echo "side-data figures drawn: $(ls "$out/figures" | grep -E '^(perplexity|length-tokens|weight-change-[a-z-]*)\.png$' | tr '\n' ' ')"

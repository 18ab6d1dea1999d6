#!/usr/bin/env bash
# Ingest and query benchmark (issue: foundation). Prints one table; every figure is from this run.
#
#   bash bench/ingest.sh [path/to/evaluation_result.csv]
#
# 1. The released CSV: `sftatlas ingest` against the sqlite3 shell's `.import --csv` of the same file
#    (median of 5 runs each).
# 2. An input 100 times larger (bench/make-large.py): ingest time and peak memory (GNU time's max RSS).
# 3. The catalog's filtered, score-sorted page-of-50 query on that large database (atlas-bench query).
# 4. CSV reading: AtlasIngest's reader against CSV.swift on the large input (atlas-bench parse).
# 5. What the audit adds, on the released CSV and the large input (atlas-bench audit): the audit, its
#    document, and the claims' sensitivity (the analyses with the flags less those without).
set -euo pipefail
cd "$(dirname "$0")/.."
csv=${1:-../shared/data/massive-sft/evaluation_result.csv}
[ -f "$csv" ] || { echo "no released CSV at $csv: pass its path" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "needs the sqlite3 shell (apt-get install sqlite3)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time (apt-get install time)" >&2; exit 2; }

swift build -c release --static-swift-stdlib --product sftatlas >/dev/null
swift build -c release --product atlas-bench >/dev/null
bin=.build/release
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
now() { date +%s.%N; }
elapsed() { echo "$(now) - $1" | bc -l; }

echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB; shared and noisy, so compare ratios within one run"
echo

atlas=(); data=(); shell=()
for i in 1 2 3 4 5; do
  t=$(now); "$bin/sftatlas" ingest "$csv" --db "$out/atlas.sqlite" 2>/dev/null; atlas+=("$(elapsed "$t")")
  t=$(now); "$bin/sftatlas" ingest --no-analyses "$csv" --db "$out/data.sqlite" 2>/dev/null; data+=("$(elapsed "$t")")
  rm -f "$out/import.sqlite"
  t=$(now); sqlite3 "$out/import.sqlite" ".import --csv $csv results"; shell+=("$(elapsed "$t")")
done
a=$(printf '%s\n' "${atlas[@]}" | median); d=$(printf '%s\n' "${data[@]}" | median); s=$(printf '%s\n' "${shell[@]}" | median)
printf 'released CSV (%s rows): sqlite3 .import --csv %.3f s; sftatlas ingest --no-analyses %.3f s, ratio %.2fx (target <= 3x); with the analyses %.3f s, ratio %.1fx\n' \
  "$(($(wc -l <"$csv") - 1))" "$s" "$d" "$(echo "$d / $s" | bc -l)" "$a" "$(echo "$a / $s" | bc -l)"

python3 bench/make-large.py "$csv" "$out/large.csv" 100
rows=$(($(wc -l <"$out/large.csv") - 1))
/usr/bin/time -f '%e %M' -o "$out/time" "$bin/sftatlas" ingest "$out/large.csv" --db "$out/large.sqlite" 2>/dev/null
read -r secs kb <"$out/time"
printf '100x input (%s rows, %s MB): ingest %.2f s (target <= 10 s), peak RSS %d MB (target <= 200 MB), database %s MB\n' \
  "$rows" "$(($(stat -c %s "$out/large.csv") / 1000000))" "$secs" "$((kb / 1024))" "$(($(stat -c %s "$out/large.sqlite") / 1000000))"

"$bin/atlas-bench" query "$out/large.sqlite"
"$bin/atlas-bench" parse "$out/large.csv"
"$bin/atlas-bench" audit "$csv"
"$bin/atlas-bench" audit "$out/large.csv"

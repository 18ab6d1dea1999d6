#!/usr/bin/env bash
# The cost of a user's runs at ingest: the released CSV alone against the release plus N generated user
# runs (bench/make-user-runs.py: half OpenCompass summary columns, half lm-eval results files), each timed
# RUNS times (wall clock), medians compared. Target (issue 14): at most 1 s more for 1,000 runs.
#
#   bash bench/user-runs.sh [path/to/evaluation_result.csv] [N] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
csv=${1:-../shared/data/massive-sft/evaluation_result.csv}
n=${2:-1000}
runs=${3:-3}
swift build -c release --static-swift-stdlib --product sftatlas >/dev/null
bin=$PWD/.build/release/sftatlas
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
python3 bench/make-user-runs.py "$out/user" "$n"
time_of() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "machine: $(nproc) cores, shared and noisy; each figure the median of $runs runs"
alone=$(for _ in $(seq "$runs"); do time_of "$bin" ingest "$csv" --db "$out/a.sqlite"; done | median)
with=$(for _ in $(seq "$runs"); do time_of "$bin" ingest "$csv" --runs "$out/user/runs.csv" --db "$out/b.sqlite"; done | median)
extra=$(echo "$with - $alone" | bc)
echo "release alone: ${alone} s; release + $n user runs: ${with} s; extra ${extra} s (target <= 1 s)"
"$bin" ingest "$csv" --runs "$out/user/runs.csv" --db "$out/b.sqlite" 2>&1 | tail -1

#!/usr/bin/env bash
# Analyses and charts benchmark (issue: analyses and charts). Prints one table; every figure is from this run.
#
#   bash bench/figures.sh [path/to/evaluation_result.csv]
#
# 1. The paper's analyses of the released CSV, then all its figures (atlas-bench figures; medians of 3).
# 2. One heatmap (Fig. 2b for one base) drawn by SFT Atlas and, from the same matrix, by matplotlib
#    (bench/heatmap_matplotlib.py; pip install matplotlib); median time per draw and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
csv=${1:-../shared/data/massive-sft/evaluation_result.csv}
[ -f "$csv" ] || { echo "no released CSV at $csv: pass its path" >&2; exit 2; }
python3 -c 'import matplotlib' 2>/dev/null || { echo "needs matplotlib (pip install matplotlib)" >&2; exit 2; }

swift build -c release --static-swift-stdlib --product atlas-bench >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB; shared and noisy, so compare within one run"
.build/release/atlas-bench figures "$csv" "$out/heatmap.csv" | tee "$out/atlas.txt"
python3 bench/heatmap_matplotlib.py "$out/heatmap.csv" 20 | tee "$out/mpl.txt" | grep -v MEDIAN_MS
ours=$(sed -n 's/.*median of 20 draws \([0-9.]*\) ms.*/\1/p' "$out/atlas.txt")
theirs=$(sed -n 's/MEDIAN_MS //p' "$out/mpl.txt")
printf 'heatmap: SFT Atlas %.1f ms, matplotlib %.1f ms per chart: %.1fx faster (target >= 5x)\n' "$ours" "$theirs" "$(echo "$theirs / $ours" | bc -l)"

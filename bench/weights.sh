#!/usr/bin/env bash
# Weight-change benchmark (issue: dataset properties, perplexity and weights). Prints one table; every
# figure is from this run, on files in the page cache.
#
#   bash bench/weights.sh [DIR] [GB]      DIR keeps the generated pair between runs (default /tmp/atlas-weights)
#
# 1. bench/make_llama_pair.py writes a Llama-shaped BF16 pair of about GB (default 2) each, sharded, once.
# 2. The read floor: both checkpoints' files read with dd (bs 1M) from the page cache, one after the other.
# 3. `sftatlas weights` on the pair.
# 4. The Python peer, bench/weights_peer.py (NumPy, BF16 through ml_dtypes when installed; with --torch as
#    well when PyTorch is installed).
# Each timed 3 times, the median reported, with peak anonymous memory (RssAnon, sampled every 5 ms: mapped
# file pages are the page cache, not the process's) and the two CSVs checked against each other.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-/tmp/atlas-weights}
gb=${2:-2}
swift build -c release --static-swift-stdlib --product sftatlas >/dev/null
bin=.build/release/sftatlas
[ -f "$dir/base/model.safetensors.index.json" ] || python3 bench/make_llama_pair.py "$dir" --gb "$gb"
files=("$dir"/base/*.safetensors "$dir"/tuned/*.safetensors)
cat "${files[@]}" >/dev/null # into the page cache
bytes=$(stat -c %s "${files[@]}" | awk '{s += $1} END {printf "%.0f", s}')

# Runs a command 3 times; prints "median_seconds peak_anon_mb" (peak over the runs).
measure() {
  python3 - "$@" <<'PY'
import statistics, subprocess, sys, time
def anon(pid):
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("RssAnon:"): return int(line.split()[1])
    except OSError: pass
    return 0
times, peak = [], 0
for _ in range(3):
    t = time.perf_counter()
    p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while p.poll() is None:
        peak = max(peak, anon(p.pid))
        time.sleep(0.005)
    times.append(time.perf_counter() - t)
    if p.returncode: sys.exit(f"{sys.argv[1:]} exited with {p.returncode}")
print(f"{statistics.median(times):.3f} {peak / 1024:.0f}")
PY
}

floor=$(measure sh -c "for f in ${files[*]}; do dd if=\$f of=/dev/null bs=1M status=none; done")
ours=$(measure "$bin" weights --base "$dir/base" --tuned "$dir/tuned" --run bench --out "$dir/ours.csv")
peer=$(measure python3 bench/weights_peer.py "$dir/base" "$dir/tuned" "$dir/peer.csv" --run bench)
bf16=$(python3 -c "import ml_dtypes" 2>/dev/null && echo "ml_dtypes" || echo "shift (ml_dtypes not installed)")
torch=""
if python3 -c "import torch" 2>/dev/null; then torch=$(measure python3 bench/weights_peer.py "$dir/base" "$dir/tuned" "$dir/torch.csv" --run bench --torch); fi
python3 - "$dir/ours.csv" "$dir/peer.csv" <<'PY'
import csv, sys
a, b = ({(r["layer"], r["module"]): r for r in csv.DictReader(open(p))} for p in sys.argv[1:3])
assert a.keys() == b.keys(), "the two CSVs have different rows"
worst = max(abs(float(a[k][f]) - float(b[k][f])) / max(abs(float(b[k][f])), 1e-300) for k in a for f in ("delta_fro", "base_fro"))
print(f"sftatlas and the peer agree on {len(a)} rows: worst relative difference {worst:.1e}")
PY

read -r ft fm <<<"$floor"; read -r ot om <<<"$ours"; read -r pt pm <<<"$peer"
echo "machine: $(nproc) cores; pair of $(echo "$bytes / 1000000000" | bc -l | xargs printf '%.2f') GB (both sides), in the page cache"
printf '%-44s %9s %14s\n' "" "median s" "peak anon MB"
printf '%-44s %9s %14s\n' "read floor (dd, both checkpoints)" "$ft" "$fm"
printf '%-44s %9s %14s\n' "sftatlas weights" "$ot" "$om"
printf '%-44s %9s %14s\n' "Python peer (NumPy, BF16 by $bf16)" "$pt" "$pm"
[ -n "$torch" ] && printf '%-44s %9s %14s\n' "Python peer (PyTorch)" ${torch}
printf 'sftatlas is %.2fx faster than the NumPy peer (target >= 3x) and %.2fx the read floor (target <= 2x); %.1f GB/s; peak anonymous memory %s MB (target < 256 MB)\n' \
  "$(echo "$pt / $ot" | bc -l)" "$(echo "$ot / $ft" | bc -l)" "$(echo "$bytes / $ot / 1000000000" | bc -l)" "$om"

#!/usr/bin/env bash
# Runs scripts/weights-array.sbatch for real on a one-node Slurm cluster started here (Debian's slurm-wlm
# and munge; run as root), and checks that the merged shards equal one unsharded run.
#
#   bash bench/slurm.sh [PAIRS] [SHARDS]       default 8 pairs, 4 shards
#
# The pairs are small generated checkpoints (scripts/check_weights.py --make: BF16 base, sharded F32 tuned
# copy, LoRA adapter), alternating full and LoRA. Prints what Slurm did (sacct) and the check's result.
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=${1:-8}
shards=${2:-4}
command -v slurmctld >/dev/null && command -v munged >/dev/null || { echo "needs slurm-wlm and munge: apt-get install slurm-wlm munge" >&2; exit 2; }
swift build -c release --static-swift-stdlib --product sftatlas >/dev/null
bin=$(pwd)/.build/release/sftatlas
work=$(mktemp -d /tmp/atlas-slurm.XXXX)
conf=$work/etc
mkdir -p "$conf" "$work/spool" "$work/state" "$work/run/shards"

# munge: a key and a daemon of our own.
dd if=/dev/urandom of="$work/munge.key" bs=1024 count=1 status=none
chmod 400 "$work/munge.key"
mkdir -p "$work/munge"
munged --key-file="$work/munge.key" --socket="$work/munge/socket" --pid-file="$work/munge/pid" --log-file="$work/munge/log" --seed-file="$work/munge/seed" -f
export MUNGE_SOCKET=$work/munge/socket
cpus=$(nproc)
mem=$(awk '/MemTotal/ {print int($2 / 1024 / 2)}' /proc/meminfo)
cat >"$conf/slurm.conf" <<CONF
ClusterName=atlas
SlurmctldHost=localhost
SlurmUser=root
AuthType=auth/munge
AuthInfo=socket=$work/munge/socket
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ReturnToService=2
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmdSpoolDir=$work/spool
StateSaveLocation=$work/state
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$work/jobcomp.txt
SlurmctldPort=16817
SlurmdPort=16818
NodeName=localhost CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$conf/slurm.conf
stop() {
  kill "$(cat "$work/slurmd.pid" 2>/dev/null)" "$(cat "$work/slurmctld.pid" 2>/dev/null)" "$(cat "$work/munge/pid" 2>/dev/null)" 2>/dev/null || true
}
trap stop EXIT
slurmctld -i
slurmd
for _ in $(seq 1 30); do sinfo -h -o %T 2>/dev/null | grep -q idle && break; sleep 1; done
echo "cluster: $(sinfo -h -o '%P %D node(s) %c CPUs %m MB %T')"

# The pairs, and pairs.csv beside them.
cd "$work/run"
echo "run,base,tuned" > pairs.csv
for i in $(seq 1 "$pairs"); do
  python3 "$OLDPWD/scripts/check_weights.py" --make "pair$i" >/dev/null
  if [ $((i % 2)) -eq 0 ]; then echo "run$i,pair$i/base,pair$i/lora"; else echo "run$i,pair$i/base,pair$i/tuned"; fi >> pairs.csv
done
started=$(date +%s.%N)
job=$(SFTATLAS=$bin sbatch --parsable --wait --array=0-$((shards - 1)) --cpus-per-task=1 "$OLDPWD/scripts/weights-array.sbatch")
echo "job $job: array of $shards tasks finished in $(echo "$(date +%s.%N) - $started" | bc | xargs printf '%.1f') s"
grep -o 'JobId=[0-9]* UserId=[^ ]* .*JobState=[A-Z]*' "$work/jobcomp.txt" | sed -E 's/UserId=[^ ]+ GroupId=[^ ]+ Name=[^ ]+ //' | head -n "$shards" || true
{ head -n 1 shards/changes-00000.csv; for f in shards/changes-*.csv; do tail -n +2 "$f"; done; } > changes.csv
"$bin" weights --pairs pairs.csv --out whole.csv 2>/dev/null
rows=$(($(wc -l < changes.csv) - 1))
if cmp -s changes.csv whole.csv; then
  echo "merged $shards shards: $rows rows, byte-identical to one unsharded run over the $pairs pairs"
else
  echo "merged shards differ from the unsharded run" >&2; diff <(head -5 changes.csv) <(head -5 whole.csv) >&2; exit 1
fi

#!/usr/bin/env bash
# A real Slurm cluster of one node, for the tests of `losslab slurm`: Debian's slurmctld,
# slurmd, slurm-client and munge (installed with apt-get when missing, about 11 s), started
# as root without systemd in a temporary folder, ready when the node is idle (about 1 s).
#   source scripts/slurm-test-cluster.sh    # exports SLURM_CONF and SLURM_TEST_DIR;
#                                           # the daemons stop when the sourcing shell exits
# sacct needs an accounting database and is not set up: wait for jobs with squeue.
set -euo pipefail
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq slurmctld slurmd slurm-client munge >/dev/null
fi
SLURM_TEST_DIR=$(mktemp -d "${TMPDIR:-/tmp}/losslab-slurm.XXXXXX")
export SLURM_TEST_DIR
export SLURM_CONF="$SLURM_TEST_DIR/slurm.conf"
_losslab_slurm_pids=()
_losslab_slurm_stop() {
  for pid in "${_losslab_slurm_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${_losslab_slurm_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$SLURM_TEST_DIR"
}
trap _losslab_slurm_stop EXIT
dir=$SLURM_TEST_DIR
mkdir -p "$dir"/{munge,spool,state,log}
chmod 755 "$dir" "$dir/munge" # munged needs to traverse the folders of its socket
mungekey --create --keyfile="$dir/munge/munge.key" --force
munged -F --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
  --pid-file="$dir/munge/munged.pid" --log-file="$dir/log/munged.log" \
  --seed-file="$dir/munge/munged.seed" >"$dir/log/munged.out" 2>&1 &
_losslab_slurm_pids+=($!)
for _ in $(seq 50); do munge -n -S "$dir/munge/munge.socket" >/dev/null 2>&1 && break; sleep 0.1; done
host=$(hostname -s)
memory=$(($(awk '/MemAvailable/ { print int($2 / 1024) }' /proc/meminfo) * 9 / 10))
cat >"$SLURM_CONF" <<CONF
ClusterName=losslab-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
NodeName=$host CPUs=$(nproc) RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld -D -i -f "$SLURM_CONF" >"$dir/log/slurmctld.out" 2>&1 &
_losslab_slurm_pids+=($!)
slurmd -D -f "$SLURM_CONF" >"$dir/log/slurmd.out" 2>&1 &
_losslab_slurm_pids+=($!)
for _ in $(seq 100); do
  [ "$(sinfo -h -n "$host" -o %T 2>/dev/null)" = idle ] && break
  sleep 0.2
done
if [ "$(sinfo -h -n "$host" -o %T)" != idle ]; then
  tail -n 30 "$dir"/log/*
  exit 1
fi
set +e +u +o pipefail

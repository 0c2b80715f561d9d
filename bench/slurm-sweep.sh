#!/usr/bin/env bash
# The 200-run XOR sweep (examples/xor.loss.json with "runs": 200) on a one-node Slurm cluster:
# `losslab analyze` in one process (all threads), then `losslab slurm` with 1 shard and with
# 4 shards, each waiting for its merge. Prints the wall time of each, as a user waits for it.
#   bash bench/slurm-sweep.sh        (root or sudo: it starts scripts/slurm-test-cluster.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
node esbuild.config.mjs --quiet
source scripts/slurm-test-cluster.sh
work=$(mktemp -d)
node -e "
const spec = require('./examples/xor.loss.json');
spec.training.runs = 200;
require('fs').writeFileSync('$work/xor200.loss.json', JSON.stringify(spec, null, 2));"
# Wall time of a command in seconds (to the millisecond).
seconds() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null
  end=$(date +%s%N)
  printf '%d.%03d' $(((end - start) / 1000000000)) $((((end - start) / 1000000) % 1000))
}
echo "machine: $(nproc) cores; Slurm node: $(sinfo -h -o '%c CPUs')"
echo "losslab analyze (one process, $(nproc) threads): $(seconds node dist/cli.js analyze "$work/xor200.loss.json" --quiet --out "$work/alone.json") s"
for shards in 1 4; do
  echo "losslab slurm --shards $shards --wait: $(seconds node dist/cli.js slurm "$work/xor200.loss.json" --shards "$shards" --wait --out "$work/slurm-$shards.json") s"
  node -e "
const r = require('$work/slurm-$shards.json');
console.log('  shards: ' + r.shards.map((s) => s.seconds.toFixed(2) + ' s').join(', ') + '; merge (classes, paths, slices): ' + (r.timings.totalSeconds).toFixed(2) + ' s');"
done
node -e "
const strip = (r) => { const c = { ...r }; delete c.timings; delete c.shards; return JSON.stringify(c); };
const a = strip(require('$work/alone.json'));
console.log('identical to the single-process result: 1 shard ' + (strip(require('$work/slurm-1.json')) === a) + ', 4 shards ' + (strip(require('$work/slurm-4.json')) === a));"
rm -rf "$work"

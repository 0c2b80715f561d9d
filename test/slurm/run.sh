#!/usr/bin/env bash
# The tests that need a real Slurm cluster: starts one of one node (scripts/slurm-test-cluster.sh,
# root or sudo), then runs test/slurm/*.test.ts and the extension-host suite (whose Slurm
# test runs only when LOSSLAB_SLURM_CLUSTER is set) against it. The cluster stops on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../../scripts/slurm-test-cluster.sh
source scripts/slurm-test-cluster.sh
export LOSSLAB_SLURM_CLUSTER=1
status=0
node esbuild.config.mjs --quiet || status=$?
[ "$status" -eq 0 ] && { npx mocha --no-config --node-option import=tsx --extension ts \
  --timeout 600000 'test/slurm/*.test.ts' || status=$?; }
[ "$status" -eq 0 ] && { node test/extension/host/runTests.mjs || status=$?; }
exit "$status"

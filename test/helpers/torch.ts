// Whether the tests of PyTorch modules can run: Debian's /usr/bin/python3 with torch. CI
// installs it (scripts/setup-vscode-tests.sh) and sets LOSSLAB_REQUIRE_TORCH, so that there
// the tests fail rather than skip when it is missing.
import { spawnSync } from 'node:child_process';

export const PYTHON = '/usr/bin/python3';

export const hasTorch = spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;

if (!hasTorch && process.env.LOSSLAB_REQUIRE_TORCH)
  throw new Error(`${PYTHON} cannot import torch, and LOSSLAB_REQUIRE_TORCH is set`);

/** describe, or describe.skip where there is no torch. */
export const describeWithTorch = hasTorch ? describe : describe.skip;

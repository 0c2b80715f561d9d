// Whether the tests of PyTorch modules can run: Debian's /usr/bin/python3 with torch. CI
// installs it (scripts/setup-vscode-tests.sh) and sets LOSSLAB_REQUIRE_TORCH, so that there
// the tests fail rather than skip when it is missing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { analyzeFile } from '../../src/engine/analyze';
import type { AnalysisResult } from '../../src/protocol/result';

export const PYTHON = '/usr/bin/python3';

export const hasTorch = spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;

if (!hasTorch && process.env.LOSSLAB_REQUIRE_TORCH)
  throw new Error(`${PYTHON} cannot import torch, and LOSSLAB_REQUIRE_TORCH is set`);

/** describe, or describe.skip where there is no torch. */
export const describeWithTorch = hasTorch ? describe : describe.skip;

/** Writes `spec` to `specPath` and analyzes it, its module run by PYTHON; fails unless it is ok. */
export async function analyzeWithTorch(specPath: string, spec: object): Promise<AnalysisResult> {
  writeFileSync(specPath, JSON.stringify(spec));
  const outcome = await analyzeFile({
    specPath,
    outPath: null,
    threads: 2,
    python: { setting: PYTHON },
  });
  if (outcome.status !== 'ok') assert.fail(JSON.stringify(outcome));
  return outcome.result;
}

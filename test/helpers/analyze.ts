// Analyzes a spec given as text (or an object) in a temporary folder, in-process.
import assert from 'node:assert/strict';
import { analyzeFile } from '../../src/engine/analyze';
import type { AnalysisResult } from '../../src/protocol/result';
import { temporaryFolder } from './temp';

export async function analyzeSpec(
  spec: string | object,
  options: { parallel?: 'always' | 'never'; threads?: number } = {},
): Promise<AnalysisResult> {
  const text = typeof spec === 'string' ? spec : JSON.stringify(spec);
  const folder = temporaryFolder({ 'a.loss.json': text });
  try {
    const outcome = await analyzeFile({
      specPath: folder.file('a.loss.json'),
      outPath: null,
      parallel: 'never',
      ...options,
    });
    assert.equal(outcome.status, 'ok', JSON.stringify(outcome).slice(0, 400));
    return (outcome as { result: AnalysisResult }).result;
  } finally {
    folder.remove();
  }
}

// Where a spec's result lives and whether it is still current. The hash is computed exactly
// as the engine computes `specHash` (the spec text and every file it reads), so "stale"
// means that an analysis now would start from different input.
import { existsSync, readFileSync } from 'node:fs';
import { engineSupport } from './engineSupport';
import { defaultResultPath } from '../engine/files';
import type { AnalysisResult } from '../protocol/result';

export interface StoredResult {
  result: AnalysisResult;
  stale: boolean;
}

/** The result saved next to the spec, or null when there is none or it cannot be read. */
export function readStoredResult(specPath: string): StoredResult | null {
  const path = defaultResultPath(specPath);
  if (!existsSync(path)) return null;
  try {
    const result = JSON.parse(readFileSync(path, 'utf8')) as AnalysisResult;
    if (result.format !== 'loss-landscape-result' || !Array.isArray(result.runs)) return null;
    return { result, stale: result.specHash !== engineSupport().currentSpecHash(specPath) };
  } catch {
    return null;
  }
}

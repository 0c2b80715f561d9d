// A result without what depends on where and when it ran: the timings and the shards.
import type { AnalysisResult } from '../../src/protocol/result';

export function comparable(result: AnalysisResult): Partial<AnalysisResult> {
  const copy: Partial<AnalysisResult> = { ...result };
  delete copy.timings;
  delete copy.shards;
  return copy;
}

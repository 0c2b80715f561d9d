// Small specs and analyzed points for the engine's unit tests.
import { loadSpec } from '../../src/core/lossfile/load';
import type { Verdict, VerdictKind } from '../../src/protocol/result';
import type { AnalyzedPoint, Origin } from '../../src/engine/jobs';

/** The seed's (1 − w²)²: f = w² with target 1, minima at w = ±1, a maximum at w = 0. */
export function twoMinima() {
  const loaded = loadSpec(
    JSON.stringify({
      data: { inputs: [[1]], targets: [[1]] },
      model: { expression: 'w^2', parameters: ['w'] },
      training: { runs: 0 },
      points: [
        { name: 'left', values: { w: -1 } },
        { name: 'top', values: { w: 0 } },
        { name: 'right', values: { w: 1 } },
      ],
    }),
    { fileName: 'two-minima.loss.json' },
  );
  return { spec: loaded.spec!, dataset: loaded.dataset! };
}

export function verdict(kind: VerdictKind, nullity: number | null = 0): Verdict {
  return {
    kind,
    index: kind === 'saddle' ? 1 : 0,
    nullity,
    method: 'exact',
    reason: kind,
    tolerance: { gradient: 1e-8, eigenvalue: 1e-7 },
  };
}

export function analyzedPoint(
  id: string,
  parameters: number[],
  origin: Origin,
  kind: VerdictKind = 'minimum',
  loss = 0,
): AnalyzedPoint {
  return {
    id,
    origin,
    parameters: Float64Array.from(parameters),
    loss,
    gradientNorm: 1e-12,
    verdict: verdict(kind),
    hessian: { eigenvalues: [2], complete: true },
    hessianProducts: 1,
    seconds: 0,
  };
}

// What analyzePoint is given in tests: an analysis section with every key filled in, and the
// context of a squared-error fit with no architecture and no weight decay.
import type { PointContext } from '../../src/core/analysis/analyzePoint';
import type { AnalysisSpec } from '../../src/core/vocabulary';

/** One point's analysis (exact Hessians up to 2000 parameters, no slices, search or paths), with `changes`. */
export function pointAnalysis(changes: Partial<AnalysisSpec> = {}): AnalysisSpec {
  return {
    hessian: 'exact',
    refine: false,
    equivalence: true,
    tolerance: { gradient: 1e-8, eigenvalue: 1e-7 },
    exactLimit: 2000,
    slices: [],
    automaticSlices: false,
    density: null,
    search: { starts: 0, seed: 0, scale: 1 },
    paths: 'none',
    ...changes,
  };
}

/** An MSE fit's context: the loss is at least 0, on a unit scale; only the inputs are read. */
export function mseContext(inputs: Float64Array, samples: number): PointContext {
  return {
    lossLowerBound: 0,
    lossScale: 1,
    architecture: null,
    weightDecay: 0,
    dataset: { inputs, samples } as never,
  };
}

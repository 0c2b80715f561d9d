// What a verdict spends on the spectrum: a point that is not critical gets a few Lanczos
// steps under "auto", whatever the exact limit, and no inertia count.
import assert from 'node:assert/strict';
import { analyzePoint } from '../../../src/core/analysis/analyzePoint';
import { buildModel } from '../../../src/core/model/build';
import { loadSpec } from '../../../src/core/lossfile/load';

describe('the cost of the spectrum', () => {
  // 2-21-21-1 tanh: 42 + 21 + 441 + 21 + 21 + 1 = 547 parameters, above 500 and below the
  // default exact limit.
  const { spec, dataset } = loadSpec(
    JSON.stringify({
      data: { generator: 'moons', samples: 40, seed: 1 },
      model: { layers: [{ units: 21 }, { units: 21 }, { units: 1 }] },
    }),
    { fileName: 'moons.loss.json' },
  );
  const model = buildModel(spec!, dataset!);
  const theta = Float64Array.from({ length: 547 }, (_, i) => Math.sin(i));

  it('a point that is not critical: a few Lanczos steps, its extremes, no index', () => {
    assert.equal(model.objective.parameterCount, 547);
    const { verdict, hessian } = analyzePoint(model.objective, theta, spec!.analysis, model);
    assert.equal(verdict.kind, 'not-critical');
    assert.equal(verdict.method, 'lanczos');
    assert.equal(verdict.index, null);
    assert.equal(hessian!.complete, false);
    assert.ok(hessian!.eigenvalues.length <= 6, `${hessian!.eigenvalues.length} extremes`);
  });

  it('the file asking for "exact" gets the whole spectrum all the same', () => {
    const exact = { ...spec!.analysis, hessian: 'exact' as const };
    const { verdict, hessian } = analyzePoint(model.objective, theta, exact, model);
    assert.equal(verdict.method, 'exact');
    assert.equal(hessian!.eigenvalues.length, 547);
  });
});

// Refinement is for runs training has nearly brought to a critical point, bounded by a
// trust radius and a work budget; other runs are judged where they stopped.
import assert from 'node:assert/strict';
import {
  recentDescent,
  refinementDecision,
  refineTrainedRun,
  trustRadius,
} from '../../../src/core/analysis/convergence';
import { refineToCriticalPoint } from '../../../src/core/analysis/refine';
import { buildModel } from '../../../src/core/model/build';
import { loadSpec } from '../../../src/core/lossfile/load';

/** The seed's (1 − w²)²: minima at ±1, the maximum at 0; the loss unit is mean y² = 1. */
function twoMinima() {
  const { spec, dataset } = loadSpec(
    JSON.stringify({
      data: { inputs: [[1]], targets: [[1]] },
      model: { expression: 'w^2', parameters: ['w'] },
    }),
    { fileName: 'two-minima.loss.json' },
  );
  return { spec: spec!, model: buildModel(spec!, dataset!) };
}

const curve = (losses: [number, number][]) => ({
  epoch: losses.map(([e]) => e),
  loss: losses.map(([, l]) => l),
});

describe('when refinement may finish what training started', () => {
  it('measures the descent over the last tenth of training', () => {
    const falling = curve([
      [0, 2],
      [50, 1],
      [90, 0.5],
      [100, 0.4],
    ]);
    // From 0.5 at epoch 90 to 0.4 at 100: a fall of 0.1, a quarter of where it ended.
    const descent = recentDescent(falling, 100);
    assert.deepEqual([descent.from, descent.to, descent.over], [0.5, 0.4, 10]);
    assert.ok(Math.abs(descent.fraction - 0.25) < 1e-15);
  });

  it('refines a run near a critical point or settled on a plateau, and no other', () => {
    const base = { epochs: 100, lossScale: 1, gradientTolerance: 1e-8 };
    const falling = curve([
      [0, 2],
      [90, 0.5],
      [100, 0.4],
    ]);
    const flat = curve([
      [0, 2],
      [90, 0.25],
      [100, 0.25],
    ]);
    assert.deepEqual(refinementDecision({ ...base, curve: falling, gradientNorm: 1e-9 }), {
      refine: true,
    });
    assert.deepEqual(refinementDecision({ ...base, curve: falling, gradientNorm: 5e-5 }), {
      refine: true,
    });
    assert.deepEqual(refinementDecision({ ...base, curve: flat, gradientNorm: 0.01 }), {
      refine: true,
    });
    const still = refinementDecision({ ...base, curve: falling, gradientNorm: 0.26 });
    assert.deepEqual(still, {
      refine: false,
      reason:
        'still descending: ‖∇L‖ = 0.26 after 100 epochs, and the loss is still falling (from 0.5 to 0.4 over the last 10 epochs): train longer (training.epochs) or with a larger learning rate',
    });
  });

  it('keeps a run whose critical point lies beyond the trust radius, and names what it reaches', () => {
    // At w = ½: L′ = −4w(1 − w²) = −1.5 and L″ = 12w² − 4 = −1, so the Newton step is
    // −L′/L″ = −1.5: it lands on the minimum at w = −1, 1.5 away. The radius is 0.1·max(½, 1).
    const { spec, model } = twoMinima();
    const start = Float64Array.of(0.5);
    assert.equal(trustRadius(start), 0.1);
    const settled = curve([
      [0, 0.5625],
      [100, 0.5625],
    ]);
    const refined = refineTrainedRun(
      model.objective,
      {
        theta: start,
        loss: 0.5625,
        gradientNorm: 1.5,
        epochs: 100,
        curve: settled,
        gradients: 100,
      },
      spec.analysis,
      model,
    );
    assert.deepEqual([...refined.parameters], [0.5], 'the run stays where training left it');
    assert.equal(refined.refinement.accepted, false);
    assert.deepEqual(refined.refinement.reached, {
      loss: 0,
      gradientNorm: 0,
      distance: 1.5,
      verdict: 'minimum',
      index: 0,
    });
    assert.match(
      refined.notes.whyNotCritical!,
      /reaches a minimum 1\.5 away \(loss 0\), beyond the trust radius 0\.1/,
    );
  });

  it('stops at its budget of Hessian-vector products', () => {
    // From w = 0.9 Newton-MR needs several steps; one product short of a step, it stops.
    const { model } = twoMinima();
    const refined = refineToCriticalPoint(model.objective, Float64Array.of(0.9), {
      gradientTolerance: 1e-12,
      maxProducts: 2,
    });
    assert.equal(refined.status, 'budget');
    assert.ok(refined.products <= 2, `${refined.products} products`);
    const unbounded = refineToCriticalPoint(model.objective, Float64Array.of(0.9), {
      gradientTolerance: 1e-12,
    });
    assert.equal(unbounded.status, 'converged');
    assert.ok(unbounded.products > 2);
  });
});

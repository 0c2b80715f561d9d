// The density at a point goes on from the verdict's own Lanczos run: the same numbers as
// from scratch, with fewer Hessian-vector products.
import assert from 'node:assert/strict';
import { analyzePoint } from '../../../src/core/analysis/analyzePoint';
import { PROBE_SEED, spectralDensity } from '../../../src/core/analysis/density';
import { lanczosExtremes, rademacherStart } from '../../../src/core/linalg/lanczos';
import { MlpArchitecture } from '../../../src/core/model/architecture';
import { MlpObjective } from '../../../src/core/model/mlp';
import { Random } from '../../../src/core/rng';
import { mseContext, pointAnalysis } from '../../helpers/pointAnalysis';

/** A 3-16-2 tanh network on 64 random samples (P = 98), at a random θ (not critical). */
function network() {
  const random = new Random(4);
  const architecture = new MlpArchitecture(3, [
    { units: 16, activation: 'tanh', bias: true },
    { units: 2, activation: 'linear', bias: true },
  ]);
  const inputs = Float64Array.from({ length: 64 * 3 }, () => random.normal());
  const targets = Float64Array.from({ length: 64 * 2 }, () => random.normal());
  const objective = new MlpObjective(architecture, inputs, targets, 64, 'mse');
  const theta = Float64Array.from({ length: architecture.parameterCount }, () => random.normal());
  let products = 0;
  // Counts the products; only they are called on it (its other methods would share the
  // buffers of the objective behind it without its cache of θ).
  const counted = Object.assign(Object.create(objective) as MlpObjective, {
    hessianVectorProduct(t: Float64Array, v: Float64Array, out: Float64Array) {
      products++;
      objective.hessianVectorProduct(t, v, out);
    },
  });
  return { objective, counted, theta, products: () => products, inputs };
}

const density = { probes: 6, iterations: 40, broadening: 0.01, tolerance: 0.01 };

describe('the density goes on from the verdict’s Lanczos run', () => {
  it('probe 0 continued from a 30-step run gives the density from scratch, bit for bit, and saves its steps', () => {
    const { counted: objective, theta, products } = network();
    const p = objective.parameterCount;
    const fresh = spectralDensity(objective, theta, null, density);
    const freshProducts = products();
    const { run } = lanczosExtremes((v, out) => objective.hessianVectorProduct(theta, v, out), p, {
      start: rademacherStart(p, PROBE_SEED, 0),
      count: 3,
      maxIterations: 30,
    });
    assert.equal(run.steps, 30);
    const before = products();
    const continued = spectralDensity(objective, theta, null, density, run);
    assert.deepEqual(continued, fresh);
    // Probe 0 took 39 steps: the 30 the run had taken cost nothing more.
    assert.ok(fresh.density.steps![0] > 30, `probe 0 took ${fresh.density.steps![0]} steps`);
    assert.equal(products() - before, freshProducts - 30);
    // A run longer than probe 0 needs: its leading steps are probe 0, nothing more is computed.
    const long = lanczosExtremes((v, out) => objective.hessianVectorProduct(theta, v, out), p, {
      start: rademacherStart(p, PROBE_SEED, 0),
      count: 3,
      maxIterations: 60,
    }).run;
    const beforeLong = products();
    assert.deepEqual(spectralDensity(objective, theta, null, density, long), fresh);
    assert.equal(products() - beforeLong, freshProducts - fresh.density.steps![0]);
  });

  it('analyzePoint adds the density only when asked, and the verdict is the same either way', () => {
    const { objective, theta, inputs } = network();
    const analysis = pointAnalysis({ hessian: 'lanczos', exactLimit: 0, density });
    const context = mseContext(inputs, 64);
    const plain = analyzePoint(objective, theta, analysis, context);
    const withDensity = analyzePoint(objective, theta, analysis, context, {}, { density: true });
    assert.equal(plain.hessian!.density, undefined);
    assert.deepEqual(withDensity.verdict, plain.verdict);
    assert.deepEqual(withDensity.hessian!.eigenvalues, plain.hessian!.eigenvalues);
    const alone = spectralDensity(objective, theta, plain.hessian, density);
    assert.deepEqual(withDensity.hessian!.density, alone.density);
    // tr(H): its own probes, deflated by the verdict's basis, and the density's: the result
    // keeps the one with the smaller standard error (here the deflated one, 30 probes against 6).
    assert.equal(alone.trace.probes, alone.density.probes);
    assert.equal(plain.hessian!.trace!.method, 'hutchinson');
    assert.ok(plain.hessian!.trace!.deflated! > 0);
    assert.ok(plain.hessian!.trace!.standardError! < alone.trace.standardError!);
    assert.deepEqual(withDensity.hessian!.trace, plain.hessian!.trace);
  });
});

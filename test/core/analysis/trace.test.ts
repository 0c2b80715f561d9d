// tr(H) in every spectrum: exact within the exact limit, Hutchinson's estimate beyond it, and
// the deflated estimate closer to the exact trace than plain Hutchinson (what PyHessian
// reports) for the same number of Hessian-vector products.
import assert from 'node:assert/strict';
import { analyzePoint } from '../../../src/core/analysis/analyzePoint';
import { hutchinson, TRACE_PROBES } from '../../../src/core/analysis/trace';
import { MlpArchitecture } from '../../../src/core/model/architecture';
import { MlpObjective } from '../../../src/core/model/mlp';
import { deriveSeed, Random } from '../../../src/core/rng';
import { mseContext, pointAnalysis } from '../../helpers/pointAnalysis';

/** A 4-30-30-1 tanh network (P = 1111) on 64 random samples, at a random θ. */
function network(hidden = 30) {
  const random = new Random(8);
  const architecture = new MlpArchitecture(4, [
    { units: hidden, activation: 'tanh', bias: true },
    { units: hidden, activation: 'tanh', bias: true },
    { units: 1, activation: 'linear', bias: true },
  ]);
  const inputs = Float64Array.from({ length: 64 * 4 }, () => random.normal());
  const targets = Float64Array.from({ length: 64 }, () => random.normal());
  const objective = new MlpObjective(architecture, inputs, targets, 64, 'mse');
  const theta = Float64Array.from(
    { length: architecture.parameterCount },
    () => random.normal() / Math.sqrt(hidden),
  );
  return { objective, theta, inputs };
}

const analysis = (hessian: 'exact' | 'lanczos') => pointAnalysis({ hessian });
const context = (inputs: Float64Array) => mseContext(inputs, 64);

/** The exact trace from the dense Hessian's diagonal. */
function exactTraceOf(objective: MlpObjective, theta: Float64Array): number {
  const p = objective.parameterCount;
  const h = objective.hessian(theta);
  let sum = 0;
  for (let i = 0; i < p; i++) sum += h[i * p + i];
  return sum;
}

describe('tr(H)', () => {
  it('within the exact limit: exact, the sum of the eigenvalues', () => {
    const { objective, theta, inputs } = network(8);
    const { hessian } = analyzePoint(objective, theta, analysis('exact'), context(inputs));
    const sum = hessian!.eigenvalues.reduce((a, b) => a + b, 0);
    const scale = hessian!.eigenvalues.reduce((a, b) => a + Math.abs(b), 0);
    assert.equal(hessian!.trace!.method, 'exact');
    assert.ok(
      Math.abs(hessian!.trace!.value - sum) <= 1e-12 * scale,
      `${hessian!.trace!.value} vs ${sum}`,
    );
  });

  it('beyond it (P = 1111, Lanczos): within 3 standard errors of the exact trace, and closer than plain Hutchinson', () => {
    const { objective, theta, inputs } = network();
    const exact = exactTraceOf(objective, theta);
    const { hessian } = analyzePoint(objective, theta, analysis('lanczos'), context(inputs));
    const trace = hessian!.trace!;
    assert.equal(trace.method, 'hutchinson');
    assert.equal(trace.probes, TRACE_PROBES);
    const error = Math.abs(trace.value - exact);
    assert.ok(
      error <= 3 * trace.standardError!,
      `${trace.value} ± ${trace.standardError} vs ${exact}`,
    );

    // Plain Hutchinson, as PyHessian computes it: the mean of vᵀHv over Rademacher vectors,
    // with as many products as the deflated estimate spent, over five seeds.
    const p = objective.parameterCount;
    const v = new Float64Array(p);
    const hv = new Float64Array(p);
    const plain = [1, 2, 3, 4, 5].map((seed) => {
      const estimates = Array.from({ length: TRACE_PROBES }, (_, k) => {
        const random = new Random(deriveSeed(seed, k));
        for (let i = 0; i < p; i++) v[i] = random.uniform(0, 1) < 0.5 ? -1 : 1;
        objective.hessianVectorProduct(theta, v, hv);
        return v.reduce((sum, x, i) => sum + x * hv[i], 0);
      });
      return hutchinson(estimates);
    });
    const plainError = plain.reduce((sum, e) => sum + Math.abs(e.value - exact), 0) / plain.length;
    const plainStandardError = plain.reduce((sum, e) => sum + e.standardError!, 0) / plain.length;
    console.log(
      `      exact ${exact.toPrecision(6)}; deflated ${trace.value.toPrecision(6)} ± ${trace.standardError!.toPrecision(2)}; plain Hutchinson off by ${plainError.toPrecision(2)} on average (± ${plainStandardError.toPrecision(2)})`,
    );
    assert.ok(error < plainError, `${error} vs ${plainError}`);
    assert.ok(trace.standardError! < plainStandardError / 2);
  });
});

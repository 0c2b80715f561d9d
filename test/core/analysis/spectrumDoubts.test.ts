// Numbers that say how sure they are: a Ritz value carries its residual bound and whether it
// converged, and a density whose probes ran out before it settled says so, with the probes
// that would settle it.
import assert from 'node:assert/strict';
import { analyzePoint } from '../../../src/core/analysis/analyzePoint';
import { symmetrize } from '../../../src/core/linalg/eigen';
import { symmetricEigenvalues } from '../../../src/core/linalg/eigenvalues';
import { MlpArchitecture } from '../../../src/core/model/architecture';
import { MlpObjective } from '../../../src/core/model/mlp';
import { Random } from '../../../src/core/rng';
import type { DensitySpec } from '../../../src/core/vocabulary';
import { mseContext, pointAnalysis } from '../../helpers/pointAnalysis';
import { spectrumDoubts } from '../../../src/protocol/wording';

/** A 4-24-24-1 tanh network (P = 745) on 64 random samples, at a random θ (not critical). */
function network() {
  const random = new Random(11);
  const architecture = new MlpArchitecture(4, [
    { units: 24, activation: 'tanh', bias: true },
    { units: 24, activation: 'tanh', bias: true },
    { units: 1, activation: 'linear', bias: true },
  ]);
  const inputs = Float64Array.from({ length: 64 * 4 }, () => random.normal());
  const targets = Float64Array.from({ length: 64 }, () => random.normal());
  const objective = new MlpObjective(architecture, inputs, targets, 64, 'mse');
  const theta = Float64Array.from(
    { length: architecture.parameterCount },
    () => random.normal() / 5,
  );
  return { objective, theta, inputs };
}

const analysis = (density: DensitySpec | null) => pointAnalysis({ hessian: 'lanczos', density });
const context = (inputs: Float64Array) => mseContext(inputs, 64);

describe('a spectrum says how sure it is', () => {
  it('every Ritz value has its residual bound; those within the tolerance are eigenvalues, the others flagged', () => {
    const { objective, theta, inputs } = network();
    const { hessian } = analyzePoint(objective, theta, analysis(null), context(inputs));
    const { eigenvalues, residuals, converged } = hessian!;
    // 30 Lanczos steps at a point that is not critical: 3 Ritz values at each end.
    assert.equal(eigenvalues.length, 6);
    assert.equal(residuals!.length, 6);
    const p = objective.parameterCount;
    const dense = objective.hessian(theta);
    symmetrize(dense, p);
    const exact = symmetricEigenvalues(dense, p);
    const scale = Math.max(...eigenvalues.map(Math.abs));
    eigenvalues.forEach((value, k) => {
      // An eigenvalue lies within the residual bound of every Ritz value.
      const nearest = Math.min(...Array.from(exact, (e) => Math.abs(e - value)));
      assert.ok(
        nearest <= residuals![k] * (1 + 1e-6) + 1e-12,
        `Ritz ${k}: ${nearest} > ${residuals![k]}`,
      );
      assert.equal(converged![k], residuals![k] <= 1e-7 * scale, `flag of ${k}`);
    });
    // The largest converge first; the smallest need more steps here, and say so.
    assert.equal(converged![5], true);
    assert.ok(converged!.includes(false));
    const [doubt] = spectrumDoubts(hessian!);
    assert.match(doubt, /Ritz values? of 6 ha(s|ve) not converged \(residual bound up to /);
  });

  it('a density whose probes ran out before its tolerance is marked unsettled, with the probes that would settle it', () => {
    const { objective, theta, inputs } = network();
    const density = { probes: 3, iterations: 20, broadening: 0.01, tolerance: 1e-4 };
    const { hessian } = analyzePoint(
      objective,
      theta,
      analysis(density),
      context(inputs),
      {},
      { density: true },
    );
    const result = hessian!.density!;
    assert.equal(result.probes, 3);
    assert.equal(result.settled, false);
    assert.ok(result.standardError! > 1e-4);
    // The standard error falls like 1/√probes.
    assert.equal(result.suggestedProbes, Math.ceil(3 * (result.standardError! / 1e-4) ** 2));
    assert.ok(
      spectrumDoubts(hessian!).some((doubt) =>
        doubt.startsWith(
          `the eigenvalue density did not settle: its standard error ${Number(result.standardError!.toPrecision(4))}`,
        ),
      ),
    );
    // tr(H) from the surer probes: not the density's 3, but 30 of its own, deflated.
    assert.ok(hessian!.trace!.standardError! > 0);
    assert.equal(hessian!.trace!.probes, 30);
    assert.ok(hessian!.trace!.deflated! > 0);
  });

  it('a settled density says nothing', () => {
    const { objective, theta, inputs } = network();
    const density = { probes: 20, iterations: 40, broadening: 0.05, tolerance: 0.1 };
    const { hessian } = analyzePoint(
      objective,
      theta,
      analysis(density),
      context(inputs),
      {},
      { density: true },
    );
    assert.equal(hessian!.density!.settled, true);
    assert.equal(hessian!.density!.suggestedProbes, undefined);
    assert.ok(!spectrumDoubts(hessian!).some((doubt) => doubt.includes('density')));
  });
});

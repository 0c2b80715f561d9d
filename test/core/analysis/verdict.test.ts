import assert from 'node:assert/strict';
import { decideVerdict, type VerdictEvidence } from '../../../src/core/analysis/verdict';

const tolerances = { gradient: 1e-8, eigenvalue: 1e-7 };
const evidence = (overrides: Partial<VerdictEvidence>): VerdictEvidence => ({
  loss: 0.5,
  gradientNorm: 0,
  parameterCount: 3,
  eigenvalues: [1, 2, 3],
  complete: true,
  lossLowerBound: null,
  lossScale: 1,
  ...overrides,
});

describe('verdicts from the gradient and the spectrum', () => {
  it('positive spectrum at a critical point: minimum', () => {
    const v = decideVerdict(evidence({}), tolerances);
    assert.deepEqual([v.kind, v.index, v.nullity, v.method], ['minimum', 0, 0, 'exact']);
    assert.equal(v.tolerance.gradient, 1e-8);
    assert.equal(v.tolerance.eigenvalue, 3e-7);
  });

  it('negative eigenvalues among positive ones: saddle with the index = their count', () => {
    const v = decideVerdict(evidence({ eigenvalues: [-2, -0.5, 4] }), tolerances);
    assert.deepEqual([v.kind, v.index, v.nullity], ['saddle', 2, 0]);
  });

  it('all negative: maximum', () => {
    const v = decideVerdict(evidence({ eigenvalues: [-4], parameterCount: 1 }), tolerances);
    assert.deepEqual([v.kind, v.index], ['maximum', 1]);
  });

  it('gradient above tolerance: not critical, whatever the spectrum says', () => {
    const v = decideVerdict(evidence({ gradientNorm: 2e-8 }), tolerances);
    assert.equal(v.kind, 'not-critical');
    assert.equal(v.index, null);
    assert.match(v.reason, /not a critical point/);
  });

  it('the gradient tolerance scales with the problem, not with the loss value', () => {
    const scaled = decideVerdict(evidence({ gradientNorm: 2e-8, lossScale: 10 }), tolerances);
    assert.equal(scaled.kind, 'minimum');
    const diverged = decideVerdict(evidence({ loss: 1e300, gradientNorm: 1e150 }), tolerances);
    assert.equal(diverged.kind, 'not-critical');
  });

  it('zero eigenvalues without negatives: degenerate, unless the loss sits at its lower bound', () => {
    const flat = decideVerdict(evidence({ eigenvalues: [0, 1, 2] }), tolerances);
    assert.deepEqual([flat.kind, flat.index, flat.nullity], ['degenerate', 0, 1]);
    const exactFit = decideVerdict(
      evidence({ loss: 0, lossLowerBound: 0, eigenvalues: [1e-17, 1, 2] }),
      tolerances,
    );
    assert.deepEqual([exactFit.kind, exactFit.nullity], ['minimum', 1]);
  });

  it('eigenvalues within the relative tolerance count as zero', () => {
    const v = decideVerdict(evidence({ eigenvalues: [-1e-8, 0.5, 100] }), tolerances);
    assert.deepEqual([v.kind, v.nullity], ['degenerate', 1]);
  });

  it('Lanczos extremes decide the sign but leave the index unknown', () => {
    const saddle = decideVerdict(
      evidence({ eigenvalues: [-0.3, 5], complete: false, parameterCount: 1000 }),
      tolerances,
    );
    assert.deepEqual([saddle.kind, saddle.index, saddle.method], ['saddle', null, 'lanczos']);
    const minimum = decideVerdict(
      evidence({ eigenvalues: [0.3, 5], complete: false, parameterCount: 1000 }),
      tolerances,
    );
    assert.deepEqual([minimum.kind, minimum.index], ['minimum', 0]);
  });

  it('an unconverged positive λmin estimate does not make a minimum (it only bounds λmin from above)', () => {
    const v = decideVerdict(
      evidence({ eigenvalues: [0.3, 5], complete: false, smallestConverged: false }),
      tolerances,
    );
    assert.equal(v.kind, 'degenerate');
    const saddle = decideVerdict(
      evidence({ eigenvalues: [-0.3, 5], complete: false, smallestConverged: false }),
      tolerances,
    );
    assert.equal(saddle.kind, 'saddle');
  });

  it('a critical point without a spectrum is not classified', () => {
    const v = decideVerdict(
      evidence({ eigenvalues: null, noSpectrumReason: 'the Hessian was not computed' }),
      tolerances,
    );
    assert.deepEqual([v.kind, v.index, v.method], ['degenerate', null, 'none']);
  });
});

// Powers by squaring: exact where the exact value is a float, within t·ε elsewhere. (That Math.pow differs between Node versions is checked end to end: the e2e
// compares VS Code's run of a chaotic example with this Node's, bit for bit.)
import assert from 'node:assert/strict';
import { integerPower, power } from '../../src/core/power';

describe('integer powers by squaring', () => {
  it('gives the exact value where it is a float', () => {
    assert.equal(integerPower(2, 10), 1024);
    assert.equal(integerPower(-3, 3), -27);
    assert.equal(integerPower(2, -2), 0.25);
    assert.equal(integerPower(0.5, 1074), 5e-324);
    assert.equal(integerPower(7, 0), 1);
    assert.equal(integerPower(0, 0), 1);
    assert.equal(integerPower(1.5, 2), 2.25);
  });

  it('(β₁, β₂) = (0.9, 0.999) to the t, t ≤ 10,000: within t·ε of Math.pow, relative', () => {
    // Each squaring doubles the relative error so far, so it grows like t·ε: 7e-13 at
    // t = 3,000, where Adam's 1 − βᵗ needs nothing near that. Math.pow (nearly correctly
    // rounded) is the reference.
    for (const beta of [0.9, 0.999])
      for (let t = 1; t <= 10000; t += 37) {
        const ours = integerPower(beta, t);
        const reference = Math.pow(beta, t);
        assert.ok(
          Math.abs(ours - reference) <= t * Number.EPSILON * reference,
          `${beta}^${t}: ${ours} vs ${reference}`,
        );
      }
  });

  it('power: integers by squaring, other exponents by Math.pow', () => {
    assert.equal(power(3, 2), 9);
    assert.equal(power(4, 0.5), 2);
    assert.ok(Number.isNaN(power(-8, 1 / 3)));
  });
});

import assert from 'node:assert/strict';
import { CompiledExpression, parseExpression } from '../../../src/core/model/expression';
import { ExpressionObjective } from '../../../src/core/model/expressionObjective';
import { assertClose, finiteDifferenceGradient, finiteDifferenceHvp } from '../../helpers/numeric';

function objectiveFor(
  expression: string,
  parameters: string[],
  inputs: number[][],
  targets: number[],
  loss: 'mse' | 'bce' = 'mse',
) {
  const symbols = { parameters, inputDim: inputs[0].length };
  const { node, problems } = parseExpression(expression, symbols);
  assert.deepEqual(problems, []);
  return new ExpressionObjective(
    new CompiledExpression(node!, symbols),
    parameters,
    Float64Array.from(inputs.flat()),
    inputs[0].length,
    Float64Array.from(targets),
    targets.length,
    loss,
  );
}

describe('expression models', () => {
  it("f = w², target 1: L = (1 − w²)², L' = −4w(1 − w²), L'' = 12w² − 4", () => {
    const objective = objectiveFor('w^2', ['w'], [[1]], [1]);
    for (const w of [-1, -0.5, 0, 0.5, 1, 2]) {
      const gradient = new Float64Array(1);
      const loss = objective.lossAndGradient(Float64Array.of(w), gradient);
      assert.equal(loss, (1 - w * w) ** 2);
      assert.equal(gradient[0] + 0, -4 * w * (1 - w * w) + 0); // + 0 identifies −0 with 0
      assert.equal(objective.hessian(Float64Array.of(w))[0], 12 * w * w - 4);
    }
  });

  it('f = w, target 1: the parabola (1 − w)² with curvature 2 everywhere', () => {
    const objective = objectiveFor('w', ['w'], [[1]], [1]);
    assert.equal(objective.loss(Float64Array.of(3)), 4);
    assert.equal(objective.hessian(Float64Array.of(-7))[0], 2);
  });

  it('exact first and second derivatives of every allowed function match finite differences', () => {
    const inputs = [
      [0.3, -0.2],
      [0.7, 0.4],
      [-0.5, 0.9],
    ];
    const targets = [0.2, -0.1, 0.4];
    const formulas = [
      'a*sin(b*x1) + cos(a*x2)',
      'tan(a*x1) + exp(-b^2*x2)',
      'log(1 + a^2 + x1^2) + sqrt(2 + b*x2)',
      'tanh(a*x1 + b) + sinh(b*x2) - cosh(a)/3',
      'abs(a - 3) * b + a^b',
      'pi*a*x1 + e*b*x2',
    ];
    const theta = Float64Array.of(0.8, 1.3);
    for (const formula of formulas) {
      for (const loss of ['mse', 'bce'] as const) {
        const objective = objectiveFor(
          formula,
          ['a', 'b'],
          inputs,
          loss === 'bce' ? [0, 1, 0.5] : targets,
          loss,
        );
        const gradient = new Float64Array(2);
        objective.lossAndGradient(theta, gradient);
        assertClose(
          gradient,
          finiteDifferenceGradient(objective, theta),
          1e-7,
          `${formula} ${loss} gradient`,
        );
        const v = Float64Array.of(0.6, -1.1);
        const hv = new Float64Array(2);
        objective.hessianVectorProduct(theta, v, hv);
        assertClose(hv, finiteDifferenceHvp(objective, theta, v), 1e-6, `${formula} ${loss} Hv`);
      }
    }
  });

  it('accepts x for a single input and x1, x2, … always', () => {
    assert.deepEqual(parseExpression('w*x + x1', { parameters: ['w'], inputDim: 1 }).problems, []);
    assert.match(
      parseExpression('w*x', { parameters: ['w'], inputDim: 2 }).problems[0].message,
      /'x', which is neither/,
    );
  });

  it('refuses anything but arithmetic on numbers, parameters and inputs', () => {
    const refused = [
      'w = 3',
      'f(w) = w',
      '[w, 1]',
      'w ? 1 : 2',
      'foo(w)',
      '"text"',
      'w > 1',
      'w!',
      'log(w, 2)',
      'w.x',
    ];
    for (const expression of refused) {
      const { node, problems } = parseExpression(expression, { parameters: ['w'], inputDim: 1 });
      assert.equal(node, undefined, `${expression} must be refused`);
      assert.ok(problems.length > 0);
    }
  });
});

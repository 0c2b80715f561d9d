// A formula model on one data row (input 1, target 1) with the MSE: L = (f(θ) − 1)², for tests
// that want a loss written by hand, such as the seed's (1 − w²)² from "w^2".
import { CompiledExpression, parseExpression } from '../../src/core/model/expression';
import { ExpressionObjective } from '../../src/core/model/expressionObjective';

export function formulaObjective(expression: string, parameters: string[]): ExpressionObjective {
  const symbols = { parameters, inputDim: 1 };
  const { node } = parseExpression(expression, symbols);
  return new ExpressionObjective(
    new CompiledExpression(node!, symbols),
    parameters,
    Float64Array.of(1),
    1,
    Float64Array.of(1),
    1,
    'mse',
  );
}

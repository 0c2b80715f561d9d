// The WebAssembly kernels must give exactly what the JavaScript kernels give, for every
// shape (odd sizes exercise the scalar edges of the SIMD blocking), and the committed
// binary must be the one the AssemblyScript source compiles to.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import {
  jsAccumulateWeightGradient,
  jsMultiplyByWeights,
  jsPropagateDownAdd,
} from '../../../src/core/kernels/matrix';
import { MlpArchitecture } from '../../../src/core/model/architecture';
import { MlpObjective } from '../../../src/core/model/mlp';
import { tanh64 } from '../../../src/core/kernels/tanh';
import {
  setKernelBackend,
  wasmTanh,
  wasmAccumulateWeightGradient,
  wasmMultiplyByWeights,
  wasmPropagateDownAdd,
} from '../../../src/core/kernels/wasm';
import { Random } from '../../../src/core/rng';

const random = new Random(99);
const filled = (n: number) => Float64Array.from({ length: n }, () => random.normal());

function assertIdentical(actual: Float64Array, expected: Float64Array, what: string): void {
  assert.equal(actual.length, expected.length);
  for (let k = 0; k < actual.length; k++)
    if (!Object.is(actual[k], expected[k]))
      assert.fail(`${what}: element ${k} differs: ${actual[k]} vs ${expected[k]}`);
}

describe('WebAssembly SIMD kernels', () => {
  before(() => setKernelBackend('wasm'));
  after(() => setKernelBackend('auto'));

  const shapes = [
    [1, 1, 1],
    [3, 5, 7],
    [4, 4, 4],
    [5, 2, 6],
    [9, 13, 3],
    [16, 64, 10],
    [7, 1, 2],
  ];
  for (const [rows, inputs, units] of shapes) {
    it(`match the JavaScript kernels bit for bit: ${rows} rows, ${inputs} inputs, ${units} units`, () => {
      const offset = 3; // weights need not start at 0 in θ
      const layer = {
        inputs,
        units,
        activation: 'linear' as const,
        weightOffset: offset,
        biasOffset: offset + inputs * units,
      };
      const params = filled(offset + inputs * units + units + 2);
      const input = filled(rows * inputs);
      const delta = filled(rows * units);
      for (const accumulate of [false, true]) {
        const start = filled(rows * units);
        const js = Float64Array.from(start);
        const wasm = Float64Array.from(start);
        jsMultiplyByWeights(params, layer, input, rows, js, accumulate);
        assert.ok(wasmMultiplyByWeights(params, layer, input, rows, wasm, accumulate));
        assertIdentical(wasm, js, `multiplyByWeights (accumulate ${accumulate})`);
      }
      const back = filled(rows * inputs);
      const backJs = Float64Array.from(back);
      jsPropagateDownAdd(params, layer, delta, rows, backJs);
      assert.ok(wasmPropagateDownAdd(params, layer, delta, rows, back));
      assertIdentical(back, backJs, 'propagateDownAdd');
      const gradient = filled(params.length);
      const gradientJs = Float64Array.from(gradient);
      jsAccumulateWeightGradient(layer, delta, input, rows, gradientJs);
      assert.ok(wasmAccumulateWeightGradient(layer, delta, input, rows, gradient));
      assertIdentical(gradient, gradientJs, 'accumulateWeightGradient');
    });
  }

  it('give the same loss, gradient and Hessian-vector product through a whole network', () => {
    const architecture = new MlpArchitecture(5, [
      { units: 7, activation: 'tanh', bias: true },
      { units: 6, activation: 'relu', bias: false },
      { units: 3, activation: 'linear', bias: true },
    ]);
    const rows = 11;
    const objective = new MlpObjective(
      architecture,
      filled(rows * 5),
      filled(rows * 3),
      rows,
      'mse',
    );
    const theta = filled(architecture.parameterCount);
    const v = filled(architecture.parameterCount);
    const w = filled(architecture.parameterCount);
    const run = () => {
      const gradient = new Float64Array(theta.length);
      const hv = new Float64Array(theta.length);
      const loss = objective.lossAndGradient(theta, gradient);
      objective.hessianVectorProduct(Float64Array.from(theta), v, hv);
      // The loss alone and a plane's losses take the forward pass that stays in the module
      // (five inputs: the plane starts from the first layer's shortcut, at layer 2).
      const lossOnly = objective.loss(theta);
      const outputs = objective.predict(theta);
      const plane = objective.planeLosses({ center: theta, x: v, y: w, as: [-1, 0], bs: [0, 2] });
      return { loss, gradient, hv, lossOnly, outputs, plane: Float64Array.from(plane.flat()) };
    };
    const wasm = run();
    setKernelBackend('js');
    const js = run();
    setKernelBackend('wasm');
    assert.ok(Object.is(wasm.loss, js.loss));
    assertIdentical(wasm.gradient, js.gradient, 'gradient');
    assertIdentical(wasm.hv, js.hv, 'Hessian-vector product');
    assert.ok(Object.is(wasm.lossOnly, js.lossOnly) && Object.is(wasm.lossOnly, wasm.loss));
    assertIdentical(wasm.outputs, js.outputs, 'outputs');
    assertIdentical(wasm.plane, js.plane, 'plane losses');
    // Grid point (0, 0) is θ itself: its loss there is the loss, to the last bit.
    assert.ok(Object.is(wasm.plane[1], wasm.loss));
  });

  it('tanh: SIMD and scalar paths agree bit for bit, within 2 ulp of Math.tanh', () => {
    const values = Float64Array.from([
      ...Array.from({ length: 4001 }, (_, k) => -25 + k * 0.0125),
      ...Array.from({ length: 200 }, () => random.normal() * 1e-5),
      0,
      -0,
      0.625,
      -0.625,
      22,
      -22.5,
      Infinity,
      -Infinity,
      NaN,
      1e-300,
    ]);
    const simd = new Float64Array(values.length);
    assert.ok(wasmTanh(values, simd, values.length));
    values.forEach((x, k) => {
      const scalar = tanh64(x);
      assert.ok(Object.is(simd[k], scalar), `tanh(${x}): SIMD ${simd[k]}, scalar ${scalar}`);
      const exact = Math.tanh(x);
      if (Number.isNaN(exact)) return assert.ok(Number.isNaN(scalar));
      const ulp = Math.max(Number.MIN_VALUE, Math.abs(exact) * Number.EPSILON);
      assert.ok(Math.abs(scalar - exact) <= 2 * ulp, `tanh(${x}) = ${scalar}, Math.tanh ${exact}`);
    });
    assert.ok(Object.is(tanh64(-0), -0), 'the sign of zero is kept');
  });

  it('are built from wasm/kernels.ts as committed', function () {
    this.timeout(120000);
    const script = join(__dirname, '..', '..', '..', 'scripts', 'build-wasm.mjs');
    execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' });
  });
});

import assert from 'node:assert/strict';
import { loadSpec } from '../../../src/core/lossfile/load';
import { BAD_SPECS } from '../../fixtures/badSpecs';

describe('validation messages name the place and say what is wrong', () => {
  for (const bad of BAD_SPECS) {
    it(bad.name, () => {
      const loaded = loadSpec(bad.text, {
        fileName: 'bad.loss.json',
        readFile: (path) => {
          const text = bad.files?.[path];
          if (text !== undefined) return { ok: true, text };
          return bad.folders?.includes(path)
            ? { ok: false, failure: 'not-a-file', reason: 'is a folder, not a file' }
            : { ok: false, failure: 'missing', reason: 'does not exist' };
        },
      });
      assert.equal(loaded.spec, undefined, 'an invalid file must not produce a runnable spec');
      const problem = loaded.problems.find((p) => bad.expect.message.test(p.message));
      assert.ok(
        problem,
        `no problem matches ${bad.expect.message}; got:\n${loaded.problems.map((p) => p.message).join('\n')}`,
      );
      assert.equal(problem.severity, 'error');
      assert.deepEqual(problem.path, bad.expect.path);
      assert.deepEqual(
        { line: problem.line, column: problem.column },
        { line: bad.expect.line, column: bad.expect.column },
      );
    });
  }
});

describe('valid files load with their defaults', () => {
  it('fills in the documented defaults', () => {
    const loaded = loadSpec(
      '{"data":{"generator":"xor"},"model":{"layers":[{"units":2},{"units":1}]}}',
      { fileName: 'xor.loss.json' },
    );
    assert.deepEqual(loaded.problems, []);
    const spec = loaded.spec!;
    assert.equal(spec.name, 'xor');
    assert.equal(spec.loss, 'mse');
    assert.deepEqual(
      spec.model.kind === 'mlp' && spec.model.layers.map((l) => [l.activation, l.bias]),
      [
        ['tanh', true],
        ['linear', true],
      ],
    );
    assert.equal(spec.training.runs, 8);
    assert.equal(spec.training.optimizer, 'gd');
    assert.equal(spec.training.learningRate, 0.1);
    assert.equal(spec.training.batchSize, null);
    assert.equal(spec.analysis.hessian, 'auto');
    assert.equal(spec.analysis.tolerance.gradient, 1e-8);
    assert.equal(loaded.dataset!.samples, 4);
  });

  it("takes the editor's exact-Hessian limit only when the file sets none", () => {
    const text = (analysis: string) =>
      `{"data":{"generator":"xor"},"model":{"layers":[{"units":2},{"units":1}]}${analysis}}`;
    const limit = (source: string, exactLimit?: number) =>
      loadSpec(source, { fileName: 'x.loss.json', exactLimit }).spec!.analysis.exactLimit;
    assert.equal(limit(text('')), 2000);
    assert.equal(limit(text(''), 50), 50);
    assert.equal(limit(text(',"analysis":{"exactLimit":7}'), 50), 7);
  });

  it('turns class indices into one-hot rows for cross-entropy', () => {
    const loaded = loadSpec(
      '{"data":{"inputs":[[0],[1],[2]],"targets":[[2],[0],[1]]},"loss":"cross-entropy","model":{"layers":[{"units":3}]}}',
      {
        fileName: 'c.loss.json',
      },
    );
    assert.deepEqual(Array.from(loaded.dataset!.targets), [0, 0, 1, 1, 0, 0, 0, 1, 0]);
  });

  it('reads CSV columns by name and standardizes inputs', () => {
    const loaded = loadSpec(
      '{"data":{"csv":"d.csv","inputs":["b"],"targets":["a"],"normalize":"standardize"},"model":{"layers":[{"units":1}]}}',
      {
        fileName: 'c.loss.json',
        readFile: () => ({ ok: true, text: 'a,b\n1,2\n3,4\n5,6\n' }),
      },
    );
    assert.deepEqual(loaded.problems, []);
    const d = loaded.dataset!;
    // b = 2, 4, 6: mean 4, population std √(8/3)
    assert.deepEqual(d.standardization, { mean: [4], std: [Math.sqrt(8 / 3)] });
    assert.deepEqual(Array.from(d.targets), [1, 3, 5]);
    assert.ok(Math.abs(d.inputs[0] + Math.sqrt(3 / 2)) < 1e-15);
  });

  it('warns without failing when a minibatch is as large as the data', () => {
    const loaded = loadSpec(
      '{"data":{"generator":"xor"},"model":{"layers":[{"units":1}]},"training":{"optimizer":"sgd","batchSize":10}}',
      {
        fileName: 'w.loss.json',
      },
    );
    assert.ok(loaded.spec);
    assert.equal(loaded.problems.length, 1);
    assert.equal(loaded.problems[0].severity, 'warning');
  });

  it("an optimizer's settings are resolved with its defaults, and another's setting is a warning", () => {
    const text = (training: object) =>
      JSON.stringify({ data: { generator: 'xor' }, model: { layers: [{ units: 1 }] }, training });
    const adam = loadSpec(text({ optimizer: 'adam', beta2: 0.99 }), { fileName: 'a.loss.json' });
    assert.deepEqual(adam.problems, []);
    assert.deepEqual(adam.spec!.training.settings, { beta1: 0.9, beta2: 0.99, epsilon: 1e-8 });
    assert.equal(adam.spec!.training.learningRate, 0.01);
    const rmsprop = loadSpec(text({ optimizer: 'rmsprop', momentum: 0.5 }), {
      fileName: 'r.loss.json',
    });
    assert.deepEqual(rmsprop.spec!.training.settings, { alpha: 0.99, epsilon: 1e-8 });
    assert.deepEqual(
      rmsprop.problems.map((p) => [p.severity, p.message, p.path]),
      [
        [
          'warning',
          'training.momentum is a setting of momentum: optimizer rmsprop does not use it',
          ['training', 'momentum'],
        ],
      ],
    );
  });

  it('accepts autoencoder targets equal to the inputs', () => {
    const loaded = loadSpec(
      '{"data":{"inputs":[[1,2],[3,4]],"targets":"inputs"},"model":{"layers":[{"units":1},{"units":2}]}}',
      {
        fileName: 'ae.loss.json',
      },
    );
    assert.deepEqual(Array.from(loaded.dataset!.targets), [1, 2, 3, 4]);
  });
});

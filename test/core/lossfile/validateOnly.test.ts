// The editor validates on every edit: without building a large generated dataset, it must
// find the same problems a full load finds.
import assert from 'node:assert/strict';
import { loadSpec } from '../../../src/core/lossfile/load';

const load = (spec: unknown, validateOnly: boolean) =>
  loadSpec(JSON.stringify(spec), { fileName: 'v.loss.json', validateOnly });

describe('validation alone (the editor, on every edit)', () => {
  it('checks a generated set by its first samples and sizes it by its full count', () => {
    // 3,000,000 moons samples: a batch of 4,000,000 is not smaller than the data.
    const spec = {
      data: { generator: 'moons', samples: 3000000 },
      model: { layers: [{ units: 2 }, { units: 1, activation: 'sigmoid' }] },
      loss: 'bce',
      training: { optimizer: 'sgd', batchSize: 4000000 },
    };
    const quick = load(spec, true);
    assert.equal(quick.spec, undefined, 'validation returns problems only');
    assert.deepEqual(
      quick.problems.map((p) => p.message),
      [
        'training.batchSize 4000000 is not smaller than the data (3,000,000 samples): every step uses the full batch',
      ],
    );
  });

  it('still finds targets that do not fit the loss: sine values are not probabilities', () => {
    const spec = {
      data: { generator: 'sine', samples: 100000 },
      model: { layers: [{ units: 2 }, { units: 1, activation: 'sigmoid' }] },
      loss: 'bce',
    };
    const quick = load(spec, true).problems.map((p) => p.message);
    const full = load(spec, false).problems.map((p) => p.message);
    assert.equal(quick.length, 1);
    assert.match(quick[0], /^loss: bce needs targets between 0 and 1, but sample \d+ has target/);
    assert.deepEqual(quick, full);
  });
});

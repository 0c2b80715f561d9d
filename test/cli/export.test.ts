// losslab export: a run out as a PyTorch state_dict in safetensors, and back in as a point,
// bit for bit.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSafetensors } from '../../src/core/data/safetensors';
import type { AnalysisResult } from '../../src/protocol/result';
import { temporaryFolder } from '../helpers/temp';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const run = (args: string[], cwd: string) =>
  spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd });

const network = {
  data: { generator: 'moons', samples: 64, seed: 3 },
  model: {
    layers: [
      { units: 5, activation: 'tanh' },
      { units: 1, activation: 'linear', bias: false },
    ],
  },
  training: { runs: 1, epochs: 200, optimizer: 'adam', learningRate: 0.02 },
  analysis: { slices: [], paths: 'none' },
};

describe('losslab export', () => {
  it('writes run-0 as 0.weight [5, 2], 0.bias [5], 2.weight [1, 5], and it reads back bit for bit', () => {
    const folder = temporaryFolder({ 'a.loss.json': JSON.stringify(network) });
    try {
      assert.equal(run(['analyze', 'a.loss.json', '--quiet'], folder.path).status, 0);
      const exported = run(
        ['export', 'a.result.json', 'run-0', '--safetensors', 'run0.safetensors'],
        folder.path,
      );
      assert.equal(exported.status, 0, exported.stderr);
      assert.match(
        exported.stdout,
        /wrote run0\.safetensors: run-0 as 0\.weight \[5, 2\], 0\.bias \[5\], 2\.weight \[1, 5\]/,
      );
      const result = JSON.parse(
        readFileSync(folder.file('a.result.json'), 'utf8'),
      ) as AnalysisResult;
      const tensors = readSafetensors(readFileSync(folder.file('run0.safetensors')));
      assert.deepEqual(
        tensors.map((t) => [t.name, t.dtype, t.shape]),
        [
          ['0.weight', 'F64', [5, 2]],
          ['0.bias', 'F64', [5]],
          ['2.weight', 'F64', [1, 5]],
        ],
      );
      // Back in as a point: the same θ, bit for bit, and so the same loss.
      writeFileSync(
        folder.file('b.loss.json'),
        JSON.stringify({
          ...network,
          training: { runs: 0 },
          points: [{ name: 'exported', weights: 'run0.safetensors' }],
        }),
      );
      assert.equal(run(['analyze', 'b.loss.json', '--quiet'], folder.path).status, 0);
      const back = JSON.parse(readFileSync(folder.file('b.result.json'), 'utf8')) as AnalysisResult;
      assert.deepEqual(back.runs[0].parameters, result.runs[0].parameters);
      assert.equal(back.runs[0].loss, result.runs[0].loss);
    } finally {
      folder.remove();
    }
  });

  it('exits 1 naming the runs there are, and 2 without --safetensors', () => {
    const folder = temporaryFolder({ 'a.loss.json': JSON.stringify(network) });
    try {
      run(['analyze', 'a.loss.json', '--quiet'], folder.path);
      const missing = run(
        ['export', 'a.result.json', 'run-7', '--safetensors', 'x.safetensors'],
        folder.path,
      );
      assert.equal(missing.status, 1);
      assert.match(missing.stderr, /has no run or point 'run-7' \(it has run-0\)/);
      assert.equal(run(['export', 'a.result.json', 'run-0'], folder.path).status, 2);
    } finally {
      folder.remove();
    }
  });

  it('refuses a result of a formula model: only MLPs have a state_dict', () => {
    const folder = temporaryFolder({
      'a.loss.json': readFileSync(join(root, 'examples', 'parabola.loss.json'), 'utf8'),
    });
    try {
      run(['analyze', 'a.loss.json', '--quiet'], folder.path);
      const refused = run(
        ['export', 'a.result.json', 'run-0', '--safetensors', 'x.safetensors'],
        folder.path,
      );
      assert.equal(refused.status, 1);
      assert.match(
        refused.stderr,
        /parameter 'w' is not a layer's weight or bias: only MLP networks export/,
      );
    } finally {
      folder.remove();
    }
  });

  it('refuses a network with a layer norm, which no nn.Sequential(Linear, activation, …) holds', () => {
    const normed = {
      ...network,
      model: {
        layers: [
          { units: 5, activation: 'tanh', norm: 'layer' },
          { units: 1, activation: 'linear' },
        ],
      },
    };
    const folder = temporaryFolder({ 'a.loss.json': JSON.stringify(normed) });
    try {
      assert.equal(run(['analyze', 'a.loss.json', '--quiet'], folder.path).status, 0);
      const refused = run(
        ['export', 'a.result.json', 'run-0', '--safetensors', 'x.safetensors'],
        folder.path,
      );
      assert.equal(refused.status, 1);
      assert.match(
        refused.stderr,
        /parameter 'layer1\.norm\.weight\[0\]' belongs to a layer norm: a network with norms is not an nn\.Sequential/,
      );
    } finally {
      folder.remove();
    }
  });
});

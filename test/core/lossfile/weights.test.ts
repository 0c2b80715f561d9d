// Points from weight files: the tensors of a .safetensors file become θ exactly as the same
// weights typed inline, and every mismatch is an error located at the point's "weights".
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { dump } from 'npyjs';
import { readSafetensors, writeSafetensors } from '../../../src/core/data/safetensors';
import { loadSpec } from '../../../src/core/lossfile/load';
import { analyzeFile } from '../../../src/engine/analyze';
import type { AnalysisResult } from '../../../src/protocol/result';
import { temporaryFolder } from '../../helpers/temp';

// A 2-3-1 tanh network as PyTorch's nn.Sequential(Linear(2, 3), Tanh(), Linear(3, 1)).
const W1 = [
  [0.5, -1.25],
  [2, 0.75],
  [-0.3, 0.1],
];
const b1 = [0.1, -0.2, 0.3];
const W2 = [[1.5, -0.5, 0.25]];
const b2 = [-0.125];
const stateDict = [
  { name: '0.weight', shape: [3, 2], values: W1.flat() },
  { name: '0.bias', shape: [3], values: b1 },
  { name: '2.weight', shape: [1, 3], values: W2.flat() },
  { name: '2.bias', shape: [1], values: b2 },
];
const spec = (point: object) => ({
  data: {
    inputs: [
      [0, 1],
      [1, -1],
      [0.5, 0.5],
    ],
    targets: [[0.2], [-0.4], [0.9]],
  },
  model: {
    layers: [
      { units: 3, activation: 'tanh' },
      { units: 1, activation: 'linear' },
    ],
  },
  training: { runs: 0 },
  points: [
    {
      name: 'typed',
      layers: [
        { weights: W1, bias: b1 },
        { weights: W2, bias: b2 },
      ],
    },
    point,
  ],
  analysis: { slices: [], paths: 'none' },
});

/** The spec's problems with weight files served from memory. */
function problemsWith(
  bytes: Uint8Array,
  point: object = { name: 'mine', weights: 'm.safetensors' },
) {
  const text = JSON.stringify(spec(point), null, 2);
  const loaded = loadSpec(text, {
    fileName: 'a.loss.json',
    readBinary: (path) =>
      path === 'm.safetensors'
        ? { ok: true, bytes }
        : { ok: false, failure: 'missing', reason: 'does not exist' },
  });
  assert.equal(loaded.spec, undefined, 'an invalid point must not load');
  return { problems: loaded.problems, text };
}

async function analyzeWith(
  bytes: Uint8Array,
  point: { name: string; weights: string; tensors?: string[] } = {
    name: 'mine',
    weights: 'm.safetensors',
  },
) {
  const folder = temporaryFolder({ 'a.loss.json': JSON.stringify(spec(point)) });
  try {
    writeFileSync(folder.file(point.weights), bytes);
    const outcome = await analyzeFile({ specPath: folder.file('a.loss.json'), outPath: null });
    assert.equal(outcome.status, 'ok', JSON.stringify(outcome).slice(0, 300));
    return (outcome as { result: AnalysisResult }).result;
  } finally {
    folder.remove();
  }
}

describe('points from weight files', () => {
  it('F64: the same θ, loss and gradient as the weights typed inline, and says where it came from', async () => {
    const result = await analyzeWith(writeSafetensors(stateDict, 'F64'));
    const [typed, mine] = result.runs;
    assert.deepEqual(mine.parameters, typed.parameters);
    assert.equal(mine.loss, typed.loss);
    assert.equal(mine.gradientNorm, typed.gradientNorm);
    assert.deepEqual(mine.weights, {
      file: 'm.safetensors',
      tensors: ['0.weight', '0.bias', '2.weight', '2.bias'],
    });
  });

  it('F32: θ is the float32 values, read exactly, in float64', async () => {
    const result = await analyzeWith(writeSafetensors(stateDict, 'F32'));
    const mine = result.runs[1];
    const expected = [...W1.flat(), ...b1, ...W2.flat(), ...b2].map(Math.fround);
    assert.deepEqual(mine.parameters, expected);
  });

  it('.npz (np.savez of the state_dict): the same θ as typed inline', async () => {
    const archive = zipSync(
      Object.fromEntries(
        stateDict.map((t) => [
          `${t.name}.npy`,
          new Uint8Array(dump(Float64Array.from(t.values), t.shape)),
        ]),
      ),
    );
    const result = await analyzeWith(archive, { name: 'mine', weights: 'm.npz' });
    assert.deepEqual(result.runs[1].parameters, result.runs[0].parameters);
    assert.equal(result.runs[1].weights?.file, 'm.npz');
  });

  it("the committed file PyTorch wrote (F32): PyTorch's own float64 loss, and the same as typed inline", async () => {
    const examples = join(__dirname, '..', '..', '..', 'examples');
    const bytes = readFileSync(join(examples, 'pytorch-moons.safetensors'));
    const tensors = readSafetensors(bytes);
    assert.deepEqual(
      tensors.map((t) => [t.name, t.dtype, t.shape]),
      [
        ['0.weight', 'F32', [8, 2]],
        ['0.bias', 'F32', [8]],
        ['2.weight', 'F32', [1, 8]],
        ['2.bias', 'F32', [1]],
      ],
    );
    // The loss PyTorch computed in float64 at these weights, recorded in the file's metadata.
    const headerLength = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
    const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString());
    const pytorchLoss = Number(header.__metadata__.mse_float64);
    const spec = JSON.parse(readFileSync(join(examples, 'pytorch-moons.loss.json'), 'utf8'));
    const folder = temporaryFolder({
      'a.loss.json': JSON.stringify({
        ...spec,
        training: { runs: 0 },
        points: [...spec.points, { name: 'typed', vector: tensors.flatMap((t) => [...t.values]) }],
        analysis: { slices: [] },
      }),
      'pytorch-moons.csv': readFileSync(join(examples, 'pytorch-moons.csv'), 'utf8'),
    });
    try {
      writeFileSync(folder.file('pytorch-moons.safetensors'), bytes);
      const outcome = await analyzeFile({ specPath: folder.file('a.loss.json'), outPath: null });
      assert.equal(outcome.status, 'ok');
      const [fromFile, typed] = (outcome as { result: AnalysisResult }).result.runs;
      assert.ok(
        Math.abs(fromFile.loss - pytorchLoss) <= 1e-15 * pytorchLoss,
        `${fromFile.loss} vs PyTorch ${pytorchLoss}`,
      );
      assert.deepEqual([typed.loss, typed.gradientNorm], [fromFile.loss, fromFile.gradientNorm]);
    } finally {
      folder.remove();
    }
  });

  it('names given in "tensors" map any state_dict, whatever its order and names', async () => {
    const renamed = [
      { name: 'out.bias', shape: [1], values: b2 },
      { name: 'hidden.weight', shape: [3, 2], values: W1.flat() },
      { name: 'out.weight', shape: [1, 3], values: W2.flat() },
      { name: 'hidden.bias', shape: [3], values: b1 },
    ];
    const result = await analyzeWith(writeSafetensors(renamed), {
      name: 'mine',
      weights: 'm.safetensors',
      tensors: ['hidden.weight', 'hidden.bias', 'out.weight', 'out.bias'],
    });
    assert.deepEqual(result.runs[1].parameters, result.runs[0].parameters);
  });

  it('changing the weight file changes the spec hash, so the result turns stale', async () => {
    const one = await analyzeWith(writeSafetensors(stateDict));
    const changed = stateDict.map((t) => (t.name === '2.bias' ? { ...t, values: [0.5] } : t));
    const two = await analyzeWith(writeSafetensors(changed));
    assert.notEqual(one.specHash, two.specHash);
  });

  const cases: Array<[string, Uint8Array, RegExp]> = [
    [
      'a transposed weight',
      writeSafetensors(stateDict.map((t) => (t.name === '0.weight' ? { ...t, shape: [2, 3] } : t))),
      /tensor '0\.weight' is \[2, 3\], layer 1 needs its weight as \[3, 2\] — transposed\?/,
    ],
    [
      'a missing bias',
      writeSafetensors(stateDict.filter((t) => t.name !== '2.bias')),
      /layer 2 has a bias, and the file has no tensor '2\.bias' for it/,
    ],
    [
      'a tensor that fits no layer',
      writeSafetensors([...stateDict, { name: '4.weight', shape: [1, 1], values: [1] }]),
      /tensor '4\.weight' \[1, 1\] fits no layer of the model \(layer 1: weight \[3, 2\], bias \[3\]; layer 2/,
    ],
    [
      'a truncated file',
      (() => {
        const whole = writeSafetensors(stateDict);
        return whole.subarray(0, whole.length - 5);
      })(),
      /m\.safetensors: tensor '.*': its data runs from byte \d+ to \d+, but the file holds/,
    ],
  ];
  for (const [what, bytes, message] of cases)
    it(`${what}: an error at the point's "weights", naming the tensor`, () => {
      const { problems, text } = problemsWith(bytes);
      const problem = problems.find((p) => message.test(p.message));
      assert.ok(problem, problems.map((p) => p.message).join('\n'));
      assert.deepEqual(problem.path, ['points', 1, 'weights']);
      const line = text.split('\n').findIndex((l) => l.includes('"weights": "m.safetensors"'));
      assert.equal(problem.line, line + 1);
    });

  it('a file that is missing, or not a weight file, says so at "weights"', () => {
    const text = JSON.stringify(spec({ name: 'mine', weights: 'gone.safetensors' }));
    const loaded = loadSpec(text, {
      fileName: 'a.loss.json',
      readBinary: () => ({ ok: false, failure: 'missing', reason: 'does not exist' }),
    });
    assert.match(
      loaded.problems[0].message,
      /points\[1\] \('mine'\): 'gone\.safetensors' does not exist/,
    );
    const other = loadSpec(JSON.stringify(spec({ name: 'mine', weights: 'm.pt' })), {
      fileName: 'a.loss.json',
      readBinary: () => ({ ok: true, bytes: new Uint8Array(4) }),
    });
    assert.match(
      other.problems[0].message,
      /'m\.pt' is not a weight file this tool reads: use \.safetensors/,
    );
  });
});

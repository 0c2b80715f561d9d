// Two engines, one answer: a network declared as an MLP and the same network written as a
// PyTorch nn.Sequential module give the same losses, gradients, eigenvalues, verdicts,
// classes (with the same permutations) and landscape slices, to 1e-12 relative in float64,
// at the same points. Skipped where /usr/bin/python3 has no torch.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeFile } from '../../src/engine/analyze';
import type { AnalysisResult } from '../../src/protocol/result';
import { temporaryFolder } from '../helpers/temp';
import { describeWithTorch, PYTHON } from '../helpers/torch';

const MODULE = `import torch

def make_model(inputs=2, hidden=2, bias=True):
    return torch.nn.Sequential(
        torch.nn.Linear(inputs, hidden, bias=bias), torch.nn.Tanh(), torch.nn.Linear(hidden, 1, bias=bias)
    )
`;

const example = (name: string) =>
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', name), 'utf8'));

type Spec = Record<string, unknown> & { model: unknown; training?: object; points?: unknown[] };

/** Runs a file (written into the folder) through the engine, writing no result. */
async function analyze(folder: string, name: string, spec: Spec): Promise<AnalysisResult> {
  const path = join(folder, name);
  writeFileSync(path, JSON.stringify(spec));
  const outcome = await analyzeFile({
    specPath: path,
    outPath: null,
    threads: 2,
    python: { setting: PYTHON },
  });
  if (outcome.status !== 'ok') assert.fail(JSON.stringify(outcome));
  return outcome.result;
}

/** The module that is the same network as a declared MLP's `model`. */
function asModule(model: { layers: { units: number }[]; bias?: boolean }) {
  return {
    pytorch: {
      file: 'model.py',
      build: 'make_model',
      args: { hidden: model.layers[0].units, bias: model.bias ?? true },
    },
  };
}

/**
 * Every number of the two results within `relative` of each other (relative to the larger of
 * the two, or to the largest of its array, for eigenvalues near zero), plus 1e-14 absolute for
 * what is zero up to rounding (a loss of 1e-32 against 0, a gradient norm of 1e-16 at a
 * minimum); everything else equal. What is not the network's — names, the model summary,
 * timings, the verdict's sentence (its numbers are compared) and the Hessian's rounding-level
 * asymmetry — is left out.
 */
function assertSameResult(a: unknown, b: unknown, relative: number, path = ''): void {
  const skipped = [
    'timings',
    'seconds',
    'stages',
    'model',
    'source',
    'specHash',
    'engine',
    'parameterNames',
    'name',
    'hessianProducts',
    'hessianVectorProducts',
    'asymmetry',
    'reason',
  ];
  const floor = 1e-14;
  if (typeof a === 'number' && typeof b === 'number') {
    // Where a barrier peaks is found by Brent's method to its own tolerance, and the argmax of
    // a smooth maximum is only determined to about √ε anyway: its height is held to 1e-12.
    if (path.endsWith('.peak.t')) relative = 1e-6;
    assert.ok(
      Math.abs(a - b) <= relative * Math.max(Math.abs(a), Math.abs(b)) + floor,
      `${path}: ${a} vs ${b}`,
    );
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.every((x) => typeof x === 'number')) {
    assert.equal(a.length, b.length, `${path}: lengths`);
    const scale = Math.max(...a.map(Math.abs), ...(b as number[]).map(Math.abs));
    a.forEach((x, i) =>
      assert.ok(
        Math.abs(x - (b[i] as number)) <= relative * scale + floor,
        `${path}[${i}]: ${x} vs ${b[i]}`,
      ),
    );
    return;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys)
      if (!skipped.includes(key))
        assertSameResult(
          (a as Record<string, unknown>)[key],
          (b as Record<string, unknown>)[key],
          relative,
          `${path}.${key}`,
        );
    return;
  }
  assert.deepEqual(a, b, path);
}

describeWithTorch('two engines, one answer', function () {
  this.timeout(300000);
  const folder = temporaryFolder({ 'model.py': MODULE });
  after(() => folder.remove());

  it('xor: the trained runs, as points, have the same verdicts, classes and slices', async () => {
    // The declared engine trains; its runs' θ are then the named points of both files.
    const xor = example('xor.loss.json');
    const trained = await analyze(folder.path, 'train.loss.json', {
      ...xor,
      training: { ...xor.training, runs: 4, epochs: 20000 },
      analysis: { slices: [] },
    });
    const points = trained.runs.map((run, k) => ({ name: `p${k}`, vector: run.parameters }));
    assert.ok(trained.runs.some((run) => run.verdict.kind === 'minimum'));
    const slices = [
      // Not an aligned line between twins: it is flat, and where its "peak" lies is rounding.
      { type: 'line', from: 'point:p0', to: 'point:p1' },
      { type: 'line', from: 'point:p0', to: 'point:p2', align: true },
      {
        type: 'plane',
        directions: 'points',
        through: ['point:p0', 'point:p1', 'point:p2'],
        resolution: 15,
      },
      { type: 'plane', directions: 'hessian', center: 'point:p0', resolution: 9, curvature: true },
    ];
    const file = { ...xor, training: { runs: 0 }, points, analysis: { slices } };
    const declared = await analyze(folder.path, 'declared.loss.json', file);
    const module = await analyze(folder.path, 'module.loss.json', {
      ...file,
      model: asModule(xor.model),
    });
    assert.equal(module.model?.kind, 'pytorch');
    assertSameResult(declared, module, 1e-12);
    // Not vacuous: the verdicts and the twins found are there to agree on.
    assert.deepEqual(
      module.runs.map((run) => run.verdict.kind),
      declared.runs.map((run) => run.verdict.kind),
    );
    assert.equal(module.slices.length, 4);
    assert.ok(
      module.runs.some((run) => run.equivalentTo?.permutation),
      'twins among the runs',
    );
  });

  it('permuted twins: the same permutation, the same saddle between them, the same automatic plane', async () => {
    const twins = example('permuted-twins.loss.json');
    const declared = await analyze(folder.path, 'twins.loss.json', twins);
    const points = declared.runs.map((run) => ({
      name: run.id.replace(/^point:/, ''),
      vector: run.parameters,
    }));
    const module = await analyze(folder.path, 'twins-module.loss.json', {
      ...twins,
      model: asModule(twins.model),
      points,
    });
    assertSameResult(declared, module, 1e-12);
    const b = module.runs.find((run) => run.id.endsWith('B'))!;
    assert.equal(b.equivalentTo?.relation, 'permutation');
    assert.deepEqual(b.equivalentTo?.permutation, [[1, 0]]);
    assert.ok(module.criticalPoints.length > 0, 'the saddle between the twins');
  });
});

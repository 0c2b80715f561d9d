// A PyTorch module in float32 ("dtype": "float32"): the same network as in float64 to the
// precision's rounding, its default tolerances scaled by √(ε₃₂/ε₆₄) = 2^14.5, and every
// verdict records and says that it was decided in float32. Skipped without torch.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { DEFAULT_GRADIENT_TOLERANCE } from '../../src/core/lossfile/resolve';
import { analyzeFile } from '../../src/engine/analyze';
import type { AnalysisResult } from '../../src/protocol/result';
import { temporaryFolder } from '../helpers/temp';
import { describeWithTorch, PYTHON } from '../helpers/torch';

const MODULE = `import torch

def make_model():
    return torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Tanh(), torch.nn.Linear(2, 1))
`;

// A 2-2-1 tanh network on XOR at fixed weights (not a critical point: ‖∇L‖ ≈ 0.3).
const THETA = [0.5, -0.25, 0.75, 1.0, 0.1, -0.2, 0.3, -0.6, 0.05];

describeWithTorch('a PyTorch module in float32', function () {
  this.timeout(120000);
  const folder = temporaryFolder({ 'model.py': MODULE });
  after(() => folder.remove());

  async function analyze(dtype: 'float64' | 'float32'): Promise<AnalysisResult> {
    const spec = {
      data: { generator: 'xor' },
      model: { pytorch: { file: 'model.py', build: 'make_model', dtype } },
      points: [{ name: 'p', vector: THETA }],
      training: { runs: 0 },
      analysis: { slices: [] },
    };
    writeFileSync(folder.file(`${dtype}.loss.json`), JSON.stringify(spec));
    const outcome = await analyzeFile({
      specPath: folder.file(`${dtype}.loss.json`),
      outPath: null,
      python: { setting: PYTHON },
    });
    if (outcome.status !== 'ok') assert.fail(JSON.stringify(outcome));
    return outcome.result;
  }

  it('agrees with float64 to float32 rounding, with scaled tolerances, and says so', async () => {
    const [double, single] = [await analyze('float64'), await analyze('float32')];
    const [a, b] = [double.runs[0], single.runs[0]];
    assert.equal(single.model?.kind === 'pytorch' && single.model.dtype, 'float32');
    // The same loss and gradient norm, to float32's ε = 1.2e-7 (relative, with headroom).
    assert.ok(Math.abs(a.loss - b.loss) <= 1e-6 * a.loss, `${a.loss} vs ${b.loss}`);
    assert.ok(Math.abs(a.gradientNorm - b.gradientNorm) <= 1e-5 * a.gradientNorm);
    // ... but not to float64's: the point was computed in float32.
    assert.notEqual(a.loss, b.loss);
    const scale = Math.sqrt(2 ** -23 / 2 ** -52);
    assert.equal(b.verdict.kind, 'not-critical');
    assert.equal(b.verdict.tolerance.precision, 'float32');
    assert.match(b.verdict.reason, /decided in float32/);
    // The tolerance in the verdict is the file's default times the scale (the loss's unit aside).
    const unit = a.verdict.tolerance.gradient / DEFAULT_GRADIENT_TOLERANCE;
    assert.ok(
      Math.abs(b.verdict.tolerance.gradient - DEFAULT_GRADIENT_TOLERANCE * scale * unit) <
        1e-12 * b.verdict.tolerance.gradient,
    );
    assert.equal(a.verdict.tolerance.precision, undefined);
    assert.doesNotMatch(a.verdict.reason, /decided in/);
  });
});

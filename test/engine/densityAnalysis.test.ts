// analysis.density: the spectral density of each run's Hessian, against its exact spectrum.
import assert from 'node:assert/strict';
import { loadSpec } from '../../src/core/lossfile/load';
import { analyzeSpec } from '../helpers/analyze';

const network = (analysis: object) => ({
  data: { generator: 'moons', samples: 128, seed: 2 },
  model: {
    layers: [
      { units: 8, activation: 'tanh' },
      { units: 1, activation: 'linear' },
    ],
  },
  training: { runs: 1, epochs: 300, optimizer: 'adam', learningRate: 0.02 },
  analysis: { slices: [], paths: 'none', ...analysis },
});

describe('spectral density (analysis.density)', () => {
  it('P = 33 within the exact limit: SLQ and the broadened exact spectrum agree', async () => {
    const result = await analyzeSpec(network({ density: true }));
    const { hessian } = result.runs[0];
    const density = hessian!.density!;
    // At P = 33 one probe's weights vary a lot: all 20 probes run, their standard error
    // stays above the tolerance, and each probe's density settles well before P steps.
    assert.deepEqual([density.method, density.probes], ['slq', 20]);
    assert.deepEqual([density.broadening, density.tolerance], [0.01, 0.01]);
    assert.ok(density.standardError! > 0.01, `standard error ${density.standardError}`);
    assert.ok(
      density.steps!.every((s) => s >= 10 && s < 33),
      `steps ${density.steps}`,
    );
    assert.equal(density.iterations, Math.max(...density.steps!));
    // σ is 1% of the spectrum's range, and the grid holds it with room to spare.
    const range = hessian!.eigenvalues.at(-1)! - hessian!.eigenvalues[0];
    assert.ok(Math.abs(density.sigma - 0.01 * range) <= 1e-9 * range);
    assert.ok(density.grid[0] < hessian!.eigenvalues[0]);
    assert.ok(density.grid.at(-1)! > hessian!.eigenvalues.at(-1)!);
    // Both integrate to 1, and they are close: the distance is recorded.
    const integral = (values: number[]) =>
      values.reduce(
        (sum, v, i) =>
          i === 0 ? 0 : sum + 0.5 * (v + values[i - 1]) * (density.grid[i] - density.grid[i - 1]),
        0,
      );
    assert.ok(Math.abs(integral(density.density) - 1) < 1e-3);
    assert.ok(Math.abs(integral(density.exact!.density) - 1) < 1e-3);
    // Measured: 0.067, with a standard error of 0.059. Over six other seeds of the probes
    // the distance was 0.4 to 1.4 times the standard error the probes estimated.
    const { distance } = density.exact!;
    assert.ok(distance < 0.1, `distance ${distance}`);
    assert.ok(
      distance < 2 * density.standardError!,
      `${distance} against ${density.standardError}`,
    );
    // Every probe run to P = 33 steps (tolerance 0) gives the same density to 1e-6.
    const full = await analyzeSpec(network({ density: { tolerance: 0 } }));
    const fullDensity = full.runs[0].hessian!.density!;
    assert.deepEqual(fullDensity.steps, Array(20).fill(33));
    assert.ok(Math.abs(fullDensity.exact!.distance - density.exact!.distance) < 1e-6);
  });

  it('off by default; above the exact limit, the estimate alone', async () => {
    const off = await analyzeSpec(network({}));
    assert.equal(off.runs[0].hessian?.density, undefined);
    const lanczos = await analyzeSpec(network({ density: true, exactLimit: 10 }));
    const density = lanczos.runs[0].hessian!.density!;
    assert.equal(density.exact, undefined);
    assert.ok(
      density.steps!.every((s) => s <= 33),
      'at most P steps',
    );
    const full = await analyzeSpec(network({ density: { tolerance: 0 }, exactLimit: 10 }));
    assert.equal(full.runs[0].hessian!.density!.iterations, 33, 'at most P steps');
  });
});

describe('what a density costs, counted before anything runs', () => {
  it('a file whose density would take days is refused; the same file without it is not', () => {
    // 2-2000-2000-1 on 10,000 samples: P = 4,010,001, a Hessian-vector product ≈ 4.8e11
    // operations; 100 probes × 500 steps of them ≈ 2.4e16, beyond the 1e16 a file may ask.
    const spec = (density: object | undefined) =>
      JSON.stringify({
        data: { generator: 'moons', samples: 10000 },
        model: { layers: [{ units: 2000 }, { units: 2000 }, { units: 1 }] },
        training: { runs: 1, epochs: 1 },
        analysis: { hessian: 'lanczos', refine: false, paths: 'none', density },
      });
    const problems = (text: string) =>
      loadSpec(text, { fileName: 'a.loss.json', validateOnly: true }).problems.filter(
        (p) => p.severity === 'error',
      );
    assert.deepEqual(problems(spec(undefined)), []);
    const refused = problems(spec({ probes: 100, iterations: 500 }));
    assert.equal(refused.length, 1);
    assert.match(
      refused[0].message,
      /is about 2\.\de\+16 floating-point operations, more than the 1e\+16/,
    );
  });
});

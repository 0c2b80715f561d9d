// Workload 3b: the derivatives and the exact spectrum by parameter count, beside PyTorch.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from '../../src/core/data/generators';
import { symmetrize } from '../../src/core/linalg/eigen';
import { symmetricEigenvalues } from '../../src/core/linalg/eigenvalues';
import { MlpArchitecture } from '../../src/core/model/architecture';
import { MlpObjective } from '../../src/core/model/mlp';
import { initialParameters } from '../../src/core/optim/init';
import { Random } from '../../src/core/rng';
import type { LayerSpec } from '../../src/core/vocabulary';
import {
  fmt,
  median,
  quick,
  ratio,
  repeats,
  report,
  rows,
  threads,
  timed,
  torch,
  torchLayers,
  type Timing,
} from '../shared';

/** How each derivative and the exact spectrum grow with P: 2-H-1 tanh MLPs on 256 points. */
export function exactLimitWorkload(withTorch: boolean): void {
  const pairs = quick ? 1 : 3;
  report('## 3b. Derivatives and the exact spectrum by parameter count, 2-H-1 tanh on 256 points');
  report(
    `(each cell: ours, and ours/PyTorch in parentheses; gradient and HVP: median of ${pairs} paired runs; PyTorch's dense Hessian: double-backward, row by row)`,
  );
  report(
    '    P | gradient           | Hessian·vector     | dense Hessian     | all eigenvalues   | exact total',
  );
  const data = generate({ generator: 'moons', samples: 256, seed: 5 });
  const hiddens = quick ? [125, 250] : [125, 250, 500, 1000];
  // The matrices go to PyTorch as files of raw float64 (JSON would be gigabytes at P = 4001).
  const matrixFolder = mkdtempSync(join(tmpdir(), 'losslab-bench-'));
  let eigenvalueAgreement = 0;
  for (const hidden of hiddens) {
    const layers: LayerSpec[] = [
      { units: hidden, activation: 'tanh', bias: true },
      { units: 1, activation: 'linear', bias: true },
    ];
    const architecture = new MlpArchitecture(2, layers);
    const objective = new MlpObjective(
      architecture,
      data.inputs,
      data.targets,
      data.samples,
      'mse',
    );
    const p = architecture.parameterCount;
    const random = new Random(hidden);
    const theta = initialParameters('xavier', 1, p, architecture, random);
    const v = Float64Array.from({ length: p }, () => random.normal());
    const gradientOut = new Float64Array(p);
    const hv = new Float64Array(p);
    // Gradient and HVP: `pairs` rounds of ours then PyTorch, so both see the same state of a
    // shared machine; the ratio is the median of the rounds' ratios.
    const rounds: { gradient: Timing; hvp: Timing; torch?: any }[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
    for (let round = 0; round < pairs; round++) {
      rounds.push({
        gradient: timed(() => objective.lossAndGradient(theta, gradientOut)),
        hvp: timed(() => objective.hessianVectorProduct(Float64Array.from(theta), v, hv)),
        torch: withTorch
          ? torch({
              kind: 'derivatives',
              threads,
              repeats,
              dense: round === 0,
              layers: torchLayers(2, layers),
              inputs: rows(data.inputs, 2),
              targets: rows(data.targets, 1),
              theta: Array.from(theta),
              vector: Array.from(v),
            })
          : undefined,
      });
    }
    const gradient = median(rounds.map((r) => r.gradient.median));
    const hvp = median(rounds.map((r) => r.hvp.median));
    let matrix: Float64Array = new Float64Array(0);
    const dense = timed(() => {
      matrix = objective.hessian(theta);
    }, 1);
    symmetrize(matrix, p);
    // What a verdict computes: all eigenvalues, no eigenvectors.
    let ours: Float64Array = new Float64Array(0);
    const eig = timed(() => {
      ours = symmetricEigenvalues(matrix, p);
    }, 1);
    let reference: { gradient: number; hvp: number; dense: number; eig: number } | null = null;
    if (withTorch) {
      const derivatives = rounds[0].torch;
      const file = join(matrixFolder, `${p}.f64`);
      writeFileSync(file, new Uint8Array(matrix.buffer, matrix.byteOffset, p * p * 8));
      const eigh = torch({ kind: 'eigvalsh', threads, repeats: 1, size: p, file });
      rmSync(file);
      // Their time equivalent to ours at the median paired ratio.
      reference = {
        gradient: gradient / median(rounds.map((r) => r.gradient.median / r.torch.gradient.median)),
        hvp: hvp / median(rounds.map((r) => r.hvp.median / r.torch.hvp.median)),
        dense: derivatives.dense.median,
        eig: (eigh.eigvalsh as Timing).median,
      };
      const theirs: number[] = eigh.values;
      const scale = Math.max(...theirs.map(Math.abs));
      eigenvalueAgreement = Math.max(
        eigenvalueAgreement,
        ...theirs.map((v, k) => Math.abs(v - ours[k]) / scale),
      );
    }
    const cell = (ours: number, theirs: number | undefined) =>
      `${fmt(ours)} s${theirs ? ` (${ratio(ours, theirs)})` : ''}`.padEnd(18);
    report(
      `${String(p).padStart(5)} | ${cell(gradient, reference?.gradient)} | ${cell(hvp, reference?.hvp)} | ${cell(dense.median, reference?.dense)} | ${cell(eig.median, reference?.eig)} | ${fmt(dense.median + eig.median)} s`,
    );
  }
  rmSync(matrixFolder, { recursive: true, force: true });
  if (withTorch)
    report(
      `eigenvalues agree with PyTorch's eigvalsh of the same matrices to ${eigenvalueAgreement.toExponential(1)}·max|λ|`,
    );
  report();
}

// Workload 13: ResNet-20 at CIFAR shapes (bench/models/resnet20.py: 269,722 parameters, 512
// synthetic 3×32×32 images, no download), end to end with the CLI on this machine's cores,
// as a user runs it: a few Adam steps from the module's own initialization, the Lanczos
// verdict, tr(H), a small eigenvalue density and a 21×21 random plane, in float32 (the
// precision such models are trained in; float64 convolutions are ~10× slower on a CPU here).
// Reports the wall time and each stage's. No reference: this row says what the tool costs at
// the size people bring; the comparisons with PyHessian and loss-landscape are sections 11-12.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeInFolder, benchFolder, fmt, report } from '../shared';

export function resnetWorkload(withTorch: boolean): void {
  report(
    '## 13. ResNet-20 at CIFAR shapes (P = 269,722), 512 synthetic images, float32, whole CLI',
  );
  if (!withTorch) {
    report('skipped: no Python with torch');
    report();
    return;
  }
  const folder = benchFolder({
    'resnet20.py': join(__dirname, '..', 'bench', 'models', 'resnet20.py'),
  });
  const { result, wall } = analyzeInFolder(folder, {
    data: { pytorch: { file: 'resnet20.py', load: 'load' } },
    model: { pytorch: { file: 'resnet20.py', build: 'make_model', dtype: 'float32' } },
    loss: 'cross-entropy',
    training: { runs: 1, epochs: 5, optimizer: 'adam', learningRate: 0.001 },
    analysis: {
      hessian: 'lanczos',
      refine: false,
      density: { probes: 2, iterations: 30 },
      slices: [{ type: 'plane', directions: 'random', center: 'run-0', resolution: 21 }],
    },
  });
  rmSync(folder, { recursive: true, force: true });
  const [point] = result.runs;
  const t = result.timings;
  const hessian = point.hessian!;
  report(
    `verdict ${point.verdict.kind} (‖∇L‖ = ${fmt(point.gradientNorm)}), λ from ${fmt(hessian.eigenvalues[0])} to ${fmt(hessian.eigenvalues[hessian.eigenvalues.length - 1])}, tr(H) ${fmt(hessian.trace!.value)} ± ${fmt(hessian.trace!.standardError ?? 0)}`,
  );
  report(
    `wall ${fmt(wall)} s: load ${fmt(t.loadSeconds)}, training ${fmt(t.trainingSeconds)}, spectrum (verdict, trace, density) ${fmt(t.spectrumSeconds)}, slices ${fmt(t.slicesSeconds)} s`,
  );
  report();
}

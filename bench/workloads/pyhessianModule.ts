// Workload 11: a PyTorch CNN side by side with PyHessian, run unmodified from a checkout of
// its repository (PYHESSIAN=/path/to/PyHessian; the row is skipped without it). The same
// module (the digits-cnn example: conv–relu–pool–linear, 2,314 parameters), data (1,797
// digits) and weights (PyTorch's, float32), mean cross-entropy, 2 threads each. Ours: the CLI
// end to end, as a user runs it (the worker's start and torch's import included). PyHessian:
// its defaults — eigenvalues(top_n=3), trace(), density() — timed call by call, its import
// and the model's construction left out (its whole process is reported beside ours too). Both are held against the exact spectrum
// (torch.autograd.functional.hessian and eigvalsh): the top three eigenvalues, the trace, and
// the density's L1 distance, every density broadened alike on our grid.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { broadenedDensity, densityDistance } from '../../src/core/linalg/slq';
import { analyzeInFolder, digitsCnnExample, fmt, ratio, report, torch } from '../shared';

const EXAMPLE = 'digits-cnn';

export function pyhessianModuleWorkload(withTorch: boolean): void {
  report('## 11. A PyTorch CNN beside PyHessian: digits-cnn (P = 2314), 1797 digits, 2 threads');
  const checkout = process.env.PYHESSIAN;
  if (!withTorch || !checkout || !existsSync(join(checkout, 'pyhessian', 'hessian.py'))) {
    report('skipped: set PYHESSIAN to a checkout of github.com/amirgholami/PyHessian');
    report();
    return;
  }
  const { folder, example } = digitsCnnExample();
  // The example's point, without its weight decay (PyHessian's loss is the criterion alone).
  const { result, wall } = analyzeInFolder(
    folder,
    {
      data: example.data,
      model: example.model,
      loss: 'cross-entropy',
      points: example.points,
      training: { runs: 0 },
      analysis: { density: true, slices: [] },
    },
    { OPENBLAS_NUM_THREADS: '2' },
  );
  const [point] = result.runs;
  const hessian = point.hessian!;

  const pytorch = example.model.pytorch;
  const peerStart = performance.now();
  const peer = torch({
    kind: 'pyhessian-module',
    threads: 2,
    pyhessian: checkout,
    moduleFile: join(folder, `${EXAMPLE}.py`),
    build: pytorch.build,
    args: pytorch.args,
    weights: join(folder, `${EXAMPLE}.safetensors`),
    npz: join(folder, `${EXAMPLE}.npz`),
    inputs: example.data.inputs,
    targets: example.data.targets,
    rows: 1797,
  });
  // Its process as a user runs such a script (Python, torch's import, the model and the data,
  // the three calls), without the exact spectrum the bench adds.
  const peerWall = (performance.now() - peerStart) / 1000 - peer.exactSeconds;
  rmSync(folder, { recursive: true, force: true });

  const exact = peer.exact as number[];
  const exactTop = exact.slice(-3).reverse();
  const exactTrace = exact.reduce((sum, v) => sum + v, 0);
  const topError = (top: number[]) =>
    Math.max(...top.map((v, i) => Math.abs(v - exactTop[i]) / exactTop[i]));
  const ourTop = hessian.eigenvalues.slice(-3).reverse();
  const density = hessian.density!;
  const onOurGrid = (nodes: number[], weights: number[]) =>
    broadenedDensity(nodes, weights, density.sigma, density.grid);
  const exactDensity = onOurGrid(
    exact,
    exact.map(() => 1 / exact.length),
  );
  const peerMass = (peer.density.weights as number[]).reduce((a, b) => a + b, 0);
  const peerDensity = onOurGrid(
    peer.density.nodes,
    (peer.density.weights as number[]).map((w) => w / peerMass),
  );
  const ours = {
    top: topError(ourTop),
    trace: Math.abs(hessian.trace!.value - exactTrace),
    density: densityDistance(density.grid, density.density, exactDensity),
  };
  const theirs = {
    top: topError(peer.top),
    trace: Math.abs(peer.trace - exactTrace),
    density: densityDistance(density.grid, peerDensity, exactDensity),
  };
  const peerSeconds = peer.seconds.top + peer.seconds.trace + peer.seconds.density;
  const t = result.timings;
  report(
    `exact (torch's dense Hessian, ${fmt(peer.exactSeconds)} s): top ${exactTop.map((v) => v.toPrecision(8)).join(', ')}; tr(H) ${exactTrace.toPrecision(8)}`,
  );
  report(
    '                      | ours (whole CLI)            | PyHessian (its three calls) | ours / PyHessian',
  );
  report(
    `top-3 eigenvalues     | rel. error ${fmt(ours.top).padEnd(16)} | ${fmt(theirs.top).padEnd(27)} | error ${ratio(ours.top, theirs.top)}`,
  );
  report(
    `trace                 | ${`${fmt(hessian.trace!.value)} ± ${fmt(hessian.trace!.standardError ?? 0)}, off ${fmt(ours.trace)}`.padEnd(27)} | ${`${fmt(peer.trace)}, off ${fmt(theirs.trace)}`.padEnd(27)} | error ${ratio(ours.trace, theirs.trace)}`,
  );
  report(
    `density (L1, 0 to 2)  | ${fmt(ours.density).padEnd(27)} | ${fmt(theirs.density).padEnd(27)} | error ${ratio(ours.density, theirs.density)}`,
  );
  report(
    `stage time            | ${`spectrum ${fmt(t.spectrumSeconds)} s, ${hessian.hessianVectorProducts} H·v`.padEnd(27)} | ${`${fmt(peerSeconds)} s (${fmt(peer.seconds.top)} + ${fmt(peer.seconds.trace)} + ${fmt(peer.seconds.density)})`.padEnd(27)} | time ${ratio(t.spectrumSeconds, peerSeconds)}`,
  );
  report(
    `whole process         | ${`${fmt(wall)} s (load ${fmt(t.loadSeconds)})`.padEnd(27)} | ${`${fmt(peerWall)} s`.padEnd(27)} | time ${ratio(wall, peerWall)}`,
  );
  report();
}

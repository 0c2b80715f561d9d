// Workload 12: a 2-D plane of a PyTorch CNN beside tomgoldstein/loss-landscape's own code, run
// unmodified from a checkout (LOSS_LANDSCAPE=/path/to/loss-landscape; the row is skipped
// without it, or without h5py and torchvision, which its modules import). The digits CNN at
// PyTorch's weights, mean cross-entropy over 1,797 digits, a 51×51 grid on [−1, 1]² (its
// default), 2 threads each. The directions are ours — seeded, filter-normalized per output
// channel and row, biases left out, as its `--xnorm filter --xignore biasbn` does — handed to
// its net_plotter.set_weights; its evaluation.eval_loss evaluates each point in the order its
// plot_surface.crunch does, without MPI. The grids must agree to 1e-10.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { filterNormalizedDirection } from '../../src/core/analysis/sliceGeometry';
import { moduleFilters } from '../../src/core/model/filters';
import { Random } from '../../src/core/rng';
import type { PlaneSlice } from '../../src/protocol/result';
import { analyzeInFolder, digitsCnnExample, fmt, python, ratio, report, torch } from '../shared';

const EXAMPLE = 'digits-cnn';
const RESOLUTION = 51;
const SEED = 0;

export function lossLandscapePlaneWorkload(withTorch: boolean): void {
  report(
    `## 12. A ${RESOLUTION}×${RESOLUTION} plane of a PyTorch CNN beside loss-landscape: digits-cnn (P = 2314), 1797 digits, 2 threads`,
  );
  const checkout = process.env.LOSS_LANDSCAPE;
  const imports =
    withTorch &&
    spawnSync(python!, ['-c', 'import h5py, torchvision'], { stdio: 'ignore' }).status === 0;
  if (!withTorch || !checkout || !existsSync(join(checkout, 'net_plotter.py')) || !imports) {
    report(
      'skipped: set LOSS_LANDSCAPE to a checkout of github.com/tomgoldstein/loss-landscape (its modules import h5py and torchvision: apt-get install python3-h5py python3-torchvision)',
    );
    report();
    return;
  }
  const { folder, example } = digitsCnnExample();
  // Only the plane: no spectrum, no runs (loss-landscape's loss is the criterion alone).
  const { result, wall } = analyzeInFolder(folder, {
    data: example.data,
    model: example.model,
    loss: 'cross-entropy',
    points: example.points,
    training: { runs: 0 },
    analysis: {
      hessian: 'off',
      slices: [
        {
          type: 'plane',
          directions: 'random',
          center: 'point:pytorch',
          resolution: RESOLUTION,
          span: 1,
          seed: SEED,
        },
      ],
    },
  });
  const plane = result.slices[0] as PlaneSlice;
  const theta = Float64Array.from(result.runs[0].parameters);
  // The engine's directions for this slice, drawn as its random plane draws them.
  if (result.model?.kind !== 'pytorch') throw new Error('expected a PyTorch model');
  const layout = moduleFilters(result.model);
  const random = new Random(SEED);
  const dx = filterNormalizedDirection(layout, theta, random, false);
  const dy = filterNormalizedDirection(layout, theta, random, false);

  const pytorch = example.model.pytorch;
  const peerStart = performance.now();
  const peer = torch({
    kind: 'loss-landscape-plane',
    threads: 2,
    lossLandscape: checkout,
    moduleFile: join(folder, `${EXAMPLE}.py`),
    build: pytorch.build,
    args: pytorch.args,
    weights: join(folder, `${EXAMPLE}.safetensors`),
    npz: join(folder, `${EXAMPLE}.npz`),
    inputs: example.data.inputs,
    targets: example.data.targets,
    rows: 1797,
    theta: Array.from(theta),
    dx: Array.from(dx),
    dy: Array.from(dy),
    xs: plane.x,
    ys: plane.y,
  });
  const peerWall = (performance.now() - peerStart) / 1000;
  rmSync(folder, { recursive: true, force: true });

  let worst = 0;
  plane.x.forEach((_, i) =>
    plane.y.forEach((__, j) => {
      const ours = plane.loss[j][i]!;
      const theirs = peer.losses[i * plane.y.length + j] as number;
      worst = Math.max(worst, Math.abs(ours - theirs) / Math.abs(theirs));
    }),
  );
  const slices = result.timings.slicesSeconds;
  report(
    `grids: largest relative difference ${worst.toExponential(2)} over ${plane.x.length * plane.y.length} points (${worst <= 1e-10 ? 'equal to 1e-10' : 'NOT equal to 1e-10'})`,
  );
  report(
    '               | ours                         | loss-landscape       | ours / loss-landscape',
  );
  report(
    `stage time     | ${`slices ${fmt(slices)} s`.padEnd(28)} | ${`${fmt(peer.seconds)} s (its loop)`.padEnd(20)} | ${ratio(slices, peer.seconds)}`,
  );
  report(
    `whole process  | ${`${fmt(wall)} s (load ${fmt(result.timings.loadSeconds)})`.padEnd(28)} | ${`${fmt(peerWall)} s`.padEnd(20)} | ${ratio(wall, peerWall)}`,
  );
  report();
}

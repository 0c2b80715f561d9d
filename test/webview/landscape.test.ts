// The pure parts of the landscape's views: the play clock, the 3-D surface's geometry, the
// contours both views draw, and the chart of the loss along one parameter.
import assert from 'node:assert/strict';
import type { AxisSlice, LineSlice, PlaneSlice, SlicePath } from '../../src/protocol/result';
import { axisSliceConfig } from '../../webview/charts/axisSlice';
import { bifurcationConfig } from '../../webview/charts/bifurcation';
import { lineSliceConfig } from '../../webview/charts/lineSlice';
import { smoothedPlaneView } from '../../webview/landscape/smoothedPlane';
import { densityConfig, slqLabel } from '../../webview/charts/densityChart';
import { lossContours, negativeCurvatureRings } from '../../webview/landscape/contours';
import { negativeIntervals } from '../../webview/landscape/curvature';
import { colorScale, planeName, planeTitle } from '../../webview/landscape/geometry';
import { themeFrom } from '../../webview/charts/common';
import { clockOf, Playback, sampleAt } from '../../webview/landscape/playback';
import { HEIGHT, pathAlongSurface, surfaceMesh } from '../../webview/landscape/surfaceMesh';
import { fittedDistance, SCENE_BOX, type Vec3 } from '../../webview/landscape/cameraFit';

const theme = themeFrom(() => '');
const path = (id: string, epoch: number[]): SlicePath => ({
  id,
  epoch,
  x: epoch.map((e) => e / 10),
  distance: epoch.map(() => 0),
  loss: epoch.map((e) => 1 / (1 + e)),
});

describe('the play clock', () => {
  const long = path('run-0', [0, 2, 4, 6, 8]);
  const short = path('run-1', [0, 4, 5]);

  it('steps through the samples of the longest path', () => {
    assert.deepEqual(clockOf([short, long]), [0, 2, 4, 6, 8]);
  });

  it("puts each path's dot at its last sample at or before the epoch", () => {
    assert.deepEqual(
      [0, 2, 4, 6, 8].map((epoch) => sampleAt(short, epoch)),
      [0, 0, 1, 2, 2],
    );
    assert.equal(sampleAt(long, 6), 3);
  });

  it('N steps from stopped reach sample N − 1, and the end holds', () => {
    const playback = new Playback();
    playback.setClock(clockOf([long]));
    let heard = 0;
    playback.subscribe(() => heard++);
    for (let k = 0; k < 3; k++) playback.next();
    assert.deepEqual([playback.step, playback.epoch, heard], [2, 4, 3]);
    for (let k = 0; k < 10; k++) playback.next();
    assert.deepEqual([playback.step, playback.epoch], [4, 8]);
    playback.seek(null);
    assert.equal(playback.epoch, null);
  });
});

describe('the 3-D surface', () => {
  // L = x² + y² on a 3 × 3 grid over [−1, 1]², one corner not finite.
  const slice: PlaneSlice = {
    type: 'plane',
    directions: 'random',
    center: 'run-0',
    x: [-1, 0, 1],
    y: [-1, 0, 1],
    loss: [
      [2, 1, 2],
      [1, 0, 1],
      [2, 1, null],
    ],
    markers: [],
    nonFinite: 1,
  };

  it('puts the lowest loss on the floor and the highest at HEIGHT, in the unit box', () => {
    const mesh = surfaceMesh(slice, false)!;
    // Sample (i, j) = (1, 1) is the centre, loss 0; (0, 0) is a corner, loss 2.
    assert.deepEqual([...mesh.positions.slice(12, 15)], [0, 0, 0]);
    assert.deepEqual([...mesh.positions.slice(0, 3)], [-1, -1, Math.fround(HEIGHT)]);
    assert.ok(Number.isNaN(mesh.positions[3 * 8 + 2]), 'the non-finite corner has no height');
  });

  it('draws the cells whose four corners are finite: three of four', () => {
    assert.equal(surfaceMesh(slice, false)!.indices.length, 3 * 6);
  });

  it('interpolates the height between samples, and knows nothing off the grid', () => {
    const mesh = surfaceMesh(slice, false)!;
    // Halfway between the centre (0) and the edge midpoint (loss 1): height HEIGHT/4.
    assert.ok(Math.abs(mesh.heightAt(0.5, 0)! - HEIGHT / 4) < 1e-12);
    assert.equal(mesh.heightAt(1.5, 0), null);
    assert.equal(mesh.heightAt(0.9, 0.9), null, 'next to the non-finite corner');
  });

  it('colored by |λmin/λmax|: heights still the loss, colors the ratio from 0 to 1 (and above)', () => {
    const ratio = [
      [0, 0.25, 0],
      [0.5, 3, null],
      [0, 0.25, null],
    ];
    const withRatio: PlaneSlice = {
      ...slice,
      curvature: {
        lambdaMin: slice.loss,
        negative: 0,
        points: 8,
        least: 0,
        greatest: 2,
        tolerance: 1e-7,
        ratio,
        ratioRange: { least: 0, greatest: 3 },
      },
    };
    const byLoss = surfaceMesh(withRatio, false)!;
    const byRatio = surfaceMesh(withRatio, false, 'ratio')!;
    assert.deepEqual([...byRatio.positions], [...byLoss.positions]);
    // Sample k = j·3 + i: the ratio on [0, 1], 3 at the top as 1; no ratio (λmax = 0) at the bottom.
    assert.deepEqual([...byRatio.shades.slice(0, 6)], [0, 0.25, 0, 0.5, 1, 0]);
    assert.ok(Number.isNaN(byRatio.shades[8]), 'no loss, no color');
    // Without a ratio grid, "ratio" falls back to the loss.
    assert.deepEqual([...surfaceMesh(slice, false, 'ratio')!.shades], [...byLoss.shades]);
  });
});

describe('the loss along one parameter', () => {
  const slice: AxisSlice = {
    type: 'axis',
    parameter: 'w',
    center: 'point:left',
    x: [-2, -1, 0, 1, 2],
    loss: [9, 0, 1, 0, 9],
    markers: [
      { id: 'point:left', x: -1, distance: 0, loss: 0, verdict: 'minimum' },
      { id: 'point:top', x: 0, distance: 0, loss: 1, verdict: 'maximum' },
      { id: 'point:right', x: 1, distance: 0, loss: 0, verdict: 'minimum' },
      { id: 'run-0', x: 1, distance: 0, loss: 0, verdict: 'minimum' },
    ],
    nonFinite: 0,
    paths: [path('run-0', [0, 5, 10])],
  };

  it('marks each verdict in its colour, one label per spot naming how many share it', () => {
    const config = axisSliceConfig(slice, theme, {
      logScale: false,
      selected: null,
      epoch: null,
      curvature: true,
    });
    const byLabel = (label: string) => config.data.datasets.find((d) => d.label === label)!;
    assert.deepEqual(byLabel('minimum').data, [
      { x: -1, y: 0 },
      { x: 1, y: 0 },
    ]);
    assert.deepEqual(byLabel('maximum').data, [{ x: 0, y: 1 }]);
    assert.equal(byLabel('maximum').backgroundColor, theme.verdict.maximum);
    assert.equal(config.data.datasets.filter((d) => d.label?.startsWith('at ')).length, 0);
  });

  it('puts a dot on each path at the play epoch', () => {
    const config = axisSliceConfig(slice, theme, {
      logScale: false,
      selected: null,
      epoch: 7,
      curvature: true,
    });
    const dot = config.data.datasets.find((d) => d.label === 'at run-0')!;
    assert.deepEqual(dot.data, [{ x: 0.5, y: 1 / 6 }]);
  });
});

describe('a smoothed axis: L_σ and its bifurcation diagram', () => {
  // (1 − w²)² smoothed: minima at ±√(1 − 3σ²) and a maximum at 0 for σ = 0.5; one minimum
  // at 0 for σ = 0.6.
  const point = (t: number, kind: 'minimum' | 'maximum') => ({
    t,
    loss: 0,
    curvature: kind === 'minimum' ? 1 : -1,
    kind,
    slope: 0,
  });
  const curve = (sigma: number, points: ReturnType<typeof point>[]) => ({
    sigma,
    method: 'quadrature' as const,
    samples: 20,
    loss: [1, 1, 1],
    error: [0, 0, 0],
    criticalPoints: points,
  });
  const slice: AxisSlice = {
    type: 'axis',
    parameter: 'w',
    center: 'point:top',
    x: [-1, 0, 1],
    loss: [0, 1, 0],
    markers: [],
    nonFinite: 0,
    smoothing: [
      curve(0.5, [point(-0.5, 'minimum'), point(0, 'maximum'), point(0.5, 'minimum')]),
      curve(0.6, [point(0, 'minimum')]),
    ],
  };

  it('draws the chosen σ over the faded loss, with its minima and maximum', () => {
    const config = axisSliceConfig(slice, theme, {
      logScale: false,
      selected: null,
      epoch: null,
      curvature: false,
      smoothed: slice.smoothing![0],
    });
    const byLabel = (label: string) => config.data.datasets.find((d) => d.label === label)!;
    assert.deepEqual(byLabel('L_σ, σ = 0.5').data, [
      { x: -1, y: 1 },
      { x: 0, y: 1 },
      { x: 1, y: 1 },
    ]);
    assert.deepEqual(
      byLabel('critical points of L_σ').data.map((p) => (p as { x: number }).x),
      [-0.5, 0, 0.5],
    );
  });

  it('the bifurcation diagram: the minima at (σ, w) and the maximum, the chosen σ larger', () => {
    const config = bifurcationConfig(slice, theme, 0.6);
    const [minima, maxima] = config.data.datasets;
    assert.deepEqual(minima.data, [
      { x: 0.5, y: -0.5 },
      { x: 0.5, y: 0.5 },
      { x: 0.6, y: 0 },
    ]);
    assert.deepEqual(maxima.data, [{ x: 0.5, y: 0 }]);
    assert.deepEqual(minima.pointRadius, [5, 5, 8]);
  });
});

describe('a smoothed line: L_σ with its Monte Carlo points and their standard errors', () => {
  const slice: LineSlice = {
    type: 'line',
    from: 'run-0',
    to: 'run-1',
    aligned: false,
    margin: 0,
    t: [0, 0.5, 1],
    loss: [0, 1, 0],
    barrier: 1,
    nonFinite: 0,
    smoothing: [
      {
        sigma: 0.3,
        method: 'monte-carlo',
        samples: 128,
        loss: [0.2, 0.7, 0.2],
        error: [0.01, 0.02, 0.01],
        criticalPoints: [
          {
            t: 0.04,
            loss: 0.19,
            curvature: 2,
            kind: 'minimum',
            slope: 0,
            uncertainty: { t: 0.013, curvature: 0.1 },
          },
          {
            t: 0.5,
            loss: 0.7,
            curvature: -0.05,
            kind: 'unresolved',
            slope: 0,
            uncertainty: { t: 0.2, curvature: 0.1 },
          },
        ],
      },
    ],
  };

  it('draws L_σ over the loss and labels each point with its kind and standard error', () => {
    const config = lineSliceConfig(
      slice,
      { from: 0, to: 0 },
      theme,
      false,
      false,
      slice.smoothing![0],
    );
    const byLabel = (label: string) => config.data.datasets.find((d) => d.label === label)!;
    assert.deepEqual(
      byLabel('L_σ, σ = 0.3').data.map((p) => (p as { y: number }).y),
      [0.2, 0.7, 0.2],
    );
    const points = byLabel('critical points of L_σ');
    assert.deepEqual(points.data, [
      { x: 0.04, y: 0.19 },
      { x: 0.5, y: 0.7 },
    ]);
    // The unresolved one is colored as no claim (degenerate), not as a maximum.
    assert.deepEqual(points.backgroundColor, [theme.verdict.minimum, theme.verdict.degenerate]);
  });
});

describe('a smoothed plane as the σ slider shows it', () => {
  const plane: PlaneSlice = {
    type: 'plane',
    directions: 'parameters',
    center: 'point:center',
    x: [-1, 0, 1],
    y: [-1, 0, 1],
    loss: [
      [4, 1, 0],
      [1, 1, 1],
      [0, 1, 4],
    ],
    markers: [{ id: 'point:center', x: 0, y: 0, distance: 0, verdict: 'saddle' }],
    nonFinite: 0,
    curvature: {
      lambdaMin: [
        [1, 1, 1],
        [1, -2, 1],
        [1, 1, 1],
      ],
      negative: 1,
      points: 9,
      least: -2,
      greatest: 1,
      tolerance: 1e-6,
    },
    smoothing: [
      {
        sigma: 0.6,
        method: 'quadrature',
        samples: 20,
        loss: [
          [3, 1.5, 1],
          [1.5, 1.2, 1.5],
          [1, 1.5, null],
        ],
        error: [
          [0, 0, 0],
          [0, 0, 0],
          [0, 0, null],
        ],
        criticalPoints: [
          { x: -0.8, y: -0.8, loss: 0.9, eigenvalues: [1.44, 2.56], kind: 'minimum', gradient: 0 },
          { x: 0, y: 0, loss: 1.2, eigenvalues: [-1.3, 2.7], kind: 'saddle', gradient: 0 },
        ],
      },
    ],
  };

  it('L_σ in place of the loss, its points as markers beside the runs’, and no λmin', () => {
    const view = smoothedPlaneView(plane, plane.smoothing![0]);
    assert.deepEqual(view.loss, plane.smoothing![0].loss);
    assert.equal(view.nonFinite, 1);
    assert.equal(view.curvature, undefined);
    assert.deepEqual(
      view.markers.map((m) => [m.id, m.verdict, m.x, m.y]),
      [
        ['point:center', 'saddle', 0, 0],
        ['L_σ 1', 'minimum', -0.8, -0.8],
        ['L_σ 2', 'saddle', 0, 0],
      ],
    );
    // The 3-D view's mesh is built from the smoothed grid: at the centre the loss is a quarter
    // of the way up its range (1 in 0…4), L_σ a tenth (1.2 in 1…3); its missing corner a hole.
    const height = (slice: PlaneSlice, k: number) =>
      surfaceMesh(slice, false, 'loss')!.positions[3 * k + 2];
    assert.ok(Math.abs(height(plane, 4) - 0.25 * HEIGHT) < 1e-6);
    assert.ok(Math.abs(height(view, 4) - 0.1 * HEIGHT) < 1e-6);
    assert.ok(Math.abs(height(view, 0) - HEIGHT) < 1e-6);
    assert.ok(Number.isNaN(height(view, 8)));
    assert.equal(smoothedPlaneView(plane, plane.smoothing![0]), view, 'built once per smoothing');
  });

  it('the bifurcation diagram of a plane: its minima, saddles and maxima by their first coordinate', () => {
    const [minima, saddles, maxima] = bifurcationConfig(plane, theme, 0.6).data.datasets;
    assert.deepEqual(minima.data, [{ x: 0.6, y: -0.8 }]);
    assert.deepEqual(saddles.data, [{ x: 0.6, y: 0 }]);
    assert.deepEqual(maxima.data, []);
    assert.deepEqual(minima.pointRadius, [8]);
  });
});

describe('where a slice is not convex', () => {
  it('the intervals where λmin < 0 reach halfway to the neighbouring samples', () => {
    // L = (1 − w²)² has L″ = 12w² − 4: negative for |w| < 1/√3 ≈ 0.577.
    const x = [-1, -0.75, -0.5, -0.25, 0, 0.25, 0.5, 0.75, 1];
    const lambdaMin = x.map((w) => 12 * w * w - 4);
    assert.deepEqual(negativeIntervals(x, lambdaMin), [[-0.625, 0.625]]);
    // Zeros (within the tolerance) and gaps are not negative; a run at the end is closed there.
    assert.deepEqual(negativeIntervals([0, 1, 2, 3, 4], [-1, 0, null, -2, -3]), [
      [0, 0.5],
      [2.5, 4],
    ]);
    assert.deepEqual(negativeIntervals([0, 1], [1, 2]), []);
  });
});

describe('the eigenvalue density chart', () => {
  it('draws the estimate, the exact spectrum broadened alike, and λmin and λmax', () => {
    const config = densityConfig(
      'run-0',
      {
        method: 'slq',
        probes: 10,
        iterations: 20,
        sigma: 0.05,
        grid: [-1, 0, 1, 2],
        density: [0.1, 0.5, 0, 0.4],
        exact: { density: [0.1, 0.45, 0.05, 0.4], distance: 0.1 },
      },
      { eigenvalues: [-0.8, 1.9], complete: false },
      theme,
    );
    const [estimate, exact, extremes] = config.data.datasets;
    // A density of 0 has no place on a log axis: a gap, not a line to the bottom.
    assert.ok(Number.isNaN(estimate.data[2].y));
    assert.match(String(estimate.label), /10 probes × 20 steps, σ = 0.05/);
    assert.match(String(exact.label), /L1 distance 0.1/);
    assert.deepEqual(
      extremes.data.map((p) => p.x),
      [-0.8, 1.9],
    );
  });

  it('says how many probes and steps the estimate took, and its standard error', () => {
    const base = {
      method: 'slq' as const,
      probes: 3,
      iterations: 19,
      sigma: 0.04,
      grid: [0, 1],
      density: [1, 1],
    };
    assert.equal(
      slqLabel({ ...base, steps: [18, 19, 19], standardError: 0.00123 }),
      'SLQ (3 probes × 18–19 steps, σ = 0.04, standard error 0.00123)',
    );
    assert.equal(
      slqLabel({ ...base, probes: 1, iterations: 80, steps: [80], standardError: null }),
      'SLQ (1 probe × 80 steps, σ = 0.04)',
    );
  });
});

describe('the contours of a plane', () => {
  // L = x² + y² on a 21 × 21 grid over [−1, 1]²: its level sets are circles about sample (10, 10).
  const axis = Array.from({ length: 21 }, (_, k) => -1 + k / 10);
  const slice: PlaneSlice = {
    type: 'plane',
    directions: 'random',
    center: 'run-0',
    x: axis,
    y: axis,
    loss: axis.map((y) => axis.map((x) => x * x + y * y)),
    markers: [],
    nonFinite: 0,
  };

  it('are circles about the centre sample, in grid coordinates, at evenly spaced levels', () => {
    const scale = colorScale(slice, false)!;
    const levels = lossContours(slice, scale);
    assert.equal(levels.length, 12);
    // Level k of 12 is at L = (k + 1)·2/13: radius √L in units of the grid's 0.1 spacing.
    const radius = Math.sqrt((1 * 2) / 13) * 10;
    // The level's region L ≥ level is bounded by the grid's edge and, inside, by the circle.
    const circle = levels[0].find((ring) => ring.every(([gx]) => gx > 0 && gx < 20))!;
    for (const [gx, gy] of circle)
      assert.ok(Math.abs(Math.hypot(gx - 10, gy - 10) - radius) < 0.15, `${gx}, ${gy}`);
  });

  it('outline where λmin < 0, and nothing where the Hessian is nowhere negative', () => {
    const lambdaMin = axis.map(() => axis.map((x) => (Math.abs(x) < 0.25 ? -1 : 1)));
    const curvature = {
      lambdaMin,
      negative: 105,
      points: 441,
      least: -1,
      greatest: 1,
      tolerance: 1e-7,
    };
    const curved = { ...slice, curvature };
    const rings = negativeCurvatureRings(curved);
    assert.equal(rings.length, 1);
    // The band |x| < 0.25 holds samples 8 … 12: its boundary runs between 7 and 8, 12 and 13.
    const xs = rings[0].map(([gx]) => gx);
    assert.ok(Math.min(...xs) > 7 && Math.min(...xs) < 8 && Math.max(...xs) > 12);
    assert.deepEqual(
      negativeCurvatureRings({ ...curved, curvature: { ...curved.curvature, negative: 0 } }),
      [],
    );
  });
});

describe('the 3-D surface: readouts and paths', () => {
  const slice: PlaneSlice = {
    type: 'plane',
    directions: 'random',
    center: 'run-0',
    x: [-1, 0, 1, 2],
    y: [0, 1],
    loss: [
      [1, 2, 3, 4],
      [5, 6, 7, 8],
    ],
    markers: [],
    nonFinite: 0,
  };

  it('reads out the grid sample nearest a point of the box, never between samples', () => {
    const mesh = surfaceMesh(slice, false)!;
    // Box x = −1 … 1 spans plane x = −1 … 2: box 0.1 is plane 0.65, nearest x = 1.
    assert.deepEqual(mesh.nearestSample(0.1, -0.9), { i: 2, j: 0 });
    assert.deepEqual(mesh.nearestSample(-1, 1), { i: 0, j: 1 });
    assert.deepEqual(mesh.nearestSample(...mesh.toBox(2, 1)), { i: 3, j: 1 });
  });

  it('follows a path along the surface: its samples, and evenly spaced points between them', () => {
    const along = pathAlongSurface({ x: [0, 1, 1], y: [0, 0, 2] }, 4);
    assert.deepEqual(along, [
      [0, 0],
      [0.25, 0],
      [0.5, 0],
      [0.75, 0],
      [1, 0],
      [1, 0.5],
      [1, 1],
      [1, 1.5],
      [1, 2],
    ]);
  });
});

describe('the names of planes', () => {
  const plane = (fields: Partial<PlaneSlice>): PlaneSlice => ({
    type: 'plane',
    directions: 'random',
    center: 'run-3',
    x: [0],
    y: [0],
    loss: [[0]],
    markers: [],
    nonFinite: 0,
    ...fields,
  });

  it('say what the plane goes through, each id once, as a sentence lists them', () => {
    const twins = plane({ directions: 'points', through: ['run-3', 'run-5', 'saddle-1'] });
    assert.equal(planeName(twins), 'Plane through run-3, run-5 and saddle-1');
    assert.equal(planeTitle(twins), 'Plane through run-3, run-5 and saddle-1');
    assert.equal(
      planeName(plane({ directions: 'points', through: ['run-3', 'run-5'] })),
      'Plane through run-3 and run-5',
    );
    assert.equal(planeName(plane({})), 'Random plane at run-3');
    assert.equal(planeName(plane({ directions: 'hessian' })), 'Hessian plane at run-3');
    assert.equal(
      planeName(plane({ directions: 'parameters', axes: { x: 'w', y: 'b' } })),
      'Plane of w and b',
    );
  });

  it('a Hessian plane gives its eigenvalues, or says they are Ritz values that did not converge', () => {
    const converged = plane({ directions: 'hessian', eigenvalues: { x: -5.27996, y: 44.2492 } });
    assert.equal(planeTitle(converged), 'Hessian plane at run-3 (λ = -5.28, 44.2)');
    const rough = plane({
      directions: 'hessian',
      eigenvalues: { x: -5.2, y: 44, residuals: { x: 0.3, y: 1e-9 }, converged: false },
    });
    assert.match(
      planeTitle(rough),
      /^Hessian plane at run-3 \(Ritz values -5\.20, 44\.0, not converged/,
    );
  });
});

describe('the 3-D camera fits the scene to the panel', () => {
  const flat = { min: [-1, -1, 0] as Vec3, max: [1, 1, 0] as Vec3 };

  it('a square seen from above with a 90° field: distance 1 when square, 4 when a quarter as wide', () => {
    // tan 45° = 1: the square's half-width 1 fills the view at distance 1 (plus the 6% margin).
    assert.ok(
      Math.abs(fittedDistance([0, 0, 0], [0, 0, 1], [0, 1, 0], 90, 1, flat) - 1.06) < 1e-12,
    );
    // A panel a quarter as wide sees a quarter as far sideways: 4 times the distance.
    assert.ok(
      Math.abs(fittedDistance([0, 0, 0], [0, 0, 1], [0, 1, 0], 90, 0.25, flat) - 4.24) < 1e-12,
    );
  });

  it('every corner of the scene lies in the view at 300 px and at 1200 px wide', () => {
    const target: Vec3 = [0, 0, HEIGHT / 3];
    const direction: Vec3 = [2.7, -2.9, 2.4 - HEIGHT / 3];
    const length = Math.hypot(...direction);
    const toCamera = direction.map((v) => v / length) as Vec3;
    for (const width of [300, 1200]) {
      const aspect = width / 420;
      const distance = fittedDistance(target, toCamera, [0, 0, 1], 40, aspect);
      const camera = target.map((t, k) => t + distance * toCamera[k]);
      const forward = toCamera.map((v) => -v) as Vec3;
      const right = [forward[1], -forward[0], 0].map((v) => v / Math.hypot(forward[0], forward[1]));
      const up = [
        right[1] * forward[2] - right[2] * forward[1],
        right[2] * forward[0] - right[0] * forward[2],
        right[0] * forward[1] - right[1] * forward[0],
      ];
      const tanV = Math.tan((20 * Math.PI) / 180);
      for (const x of [SCENE_BOX.min[0], SCENE_BOX.max[0]])
        for (const y of [SCENE_BOX.min[1], SCENE_BOX.max[1]])
          for (const z of [SCENE_BOX.min[2], SCENE_BOX.max[2]]) {
            const q = [x - camera[0], y - camera[1], z - camera[2]];
            const depth = q[0] * forward[0] + q[1] * forward[1] + q[2] * forward[2];
            const sideways = (q[0] * right[0] + q[1] * right[1]) / (depth * tanV * aspect);
            const vertical = (q[0] * up[0] + q[1] * up[1] + q[2] * up[2]) / (depth * tanV);
            assert.ok(
              Math.abs(sideways) < 1 && Math.abs(vertical) < 1,
              `${width} px: ${x},${y},${z}`,
            );
          }
    }
  });
});

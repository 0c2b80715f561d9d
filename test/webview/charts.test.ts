import assert from 'node:assert/strict';
import type { LineSlice, PlaneSlice, Verdict } from '../../src/protocol/result';
import { placeLabels, themeFrom, withAlpha, type Box } from '../../webview/charts/common';
import { criticalPointsConfig, groupPoints } from '../../webview/charts/indexByLoss';
import { barrierPeak, lineSliceConfig } from '../../webview/charts/lineSlice';
import { classLegend, lossCurvesConfig } from '../../webview/charts/lossCurves';
import {
  inverseSignedLog,
  signedLog,
  spectrumConfig,
  spectrumTicks,
} from '../../webview/charts/spectrumChart';
import {
  colorScale,
  contourLevels,
  fromPixel,
  isOnPlane,
  nearestSample,
  niceTicks,
  planeLayout,
  toPixel,
} from '../../webview/landscape/geometry';

const theme = themeFrom(() => '');
const verdict = (eigenvalue: number | null): Verdict => ({
  kind: 'saddle',
  index: 1,
  nullity: 1,
  method: 'exact',
  reason: '',
  tolerance: { gradient: 1e-8, eigenvalue },
});

describe('chart configuration builders', () => {
  it('falls back to default colors and fades colors with an alpha', () => {
    assert.equal(theme.series[0], '#3794ff');
    assert.equal(withAlpha('#3794ff', 0.25), 'rgba(55, 148, 255, 0.25)');
    assert.equal(withAlpha('#fff', 0.5), 'rgba(255, 255, 255, 0.5)');
    assert.equal(withAlpha('rgb(1, 2, 3)', 0.5), 'rgba(1, 2, 3, 0.5)');
  });

  it('loss curves: log axis, a gap where the loss is 0, the selected run drawn thick', () => {
    const config = lossCurvesConfig(
      [
        { id: 'run-0', group: 1, epoch: [0, 1, 2], loss: [1, 0.1, 0] },
        { id: 'run-1', group: 2, epoch: [0, 1], loss: [1, 0.5] },
      ],
      theme,
      'run-1',
    );
    const [first, second] = config.data.datasets;
    assert.equal((config.options!.scales!.y as { type: string }).type, 'logarithmic');
    assert.deepEqual(first.data.slice(0, 2), [
      { x: 0, y: 1 },
      { x: 1, y: 0.1 },
    ]);
    assert.ok(Number.isNaN(first.data[2].y));
    assert.equal(second.borderWidth, 3);
    assert.equal(first.borderWidth, 1.5);
    assert.equal(second.borderColor, theme.series[1], 'class 2 takes the second color');
    assert.equal(first.borderColor, withAlpha(theme.series[0], 0.25), 'unselected runs fade');
  });

  it('loss curves: the legend names classes with their sizes, not runs', () => {
    const legend = classLegend(
      [
        { id: 'run-0', group: 1, epoch: [0], loss: [1] },
        { id: 'run-1', group: 2, epoch: [0], loss: [1] },
        { id: 'run-2', group: 1, epoch: [0], loss: [1] },
      ],
      theme,
    );
    assert.deepEqual(
      legend.map((item) => [item.text, item.fillStyle]),
      [
        ['class 1 (2 runs)', theme.series[0]],
        ['class 2 (1 run)', theme.series[1]],
      ],
    );
  });

  it('line slice: the barrier is the highest loss on [0, 1], not beyond it', () => {
    const slice: LineSlice = {
      type: 'line',
      from: 'run-0',
      to: 'run-1',
      aligned: false,
      margin: 0.5,
      t: [-0.5, 0, 0.25, 0.5, 0.75, 1, 1.5],
      loss: [9, 1, 2, 5, 3, 1, 9],
      barrier: 4,
      nonFinite: 0,
    };
    assert.deepEqual(barrierPeak(slice, { from: 1, to: 1 }), { t: 0.5, loss: 5 });
    // With no bump in between, the barrier sits at the higher endpoint.
    const flat = { ...slice, loss: [9, 3, 2, 1.5, 1.2, 1, 9] };
    assert.deepEqual(barrierPeak(flat, { from: 3, to: 1 }), { t: 0, loss: 3 });
    const config = lineSliceConfig(slice, { from: 1, to: 1 }, theme, false);
    assert.deepEqual(config.data.datasets[1].data, [
      { x: 0, y: 1 },
      { x: 1, y: 1 },
    ]);
    assert.deepEqual(config.data.datasets[2].data, [{ x: 0.5, y: 5 }]);
  });

  it('spectrum: signed log about the zero band, each eigenvalue in its class', () => {
    const band = 1e-7;
    assert.equal(signedLog(band, band), Math.log10(2));
    assert.equal(signedLog(0, band), 0);
    for (const lambda of [-3, -1e-6, 2.5e-4, 40])
      assert.ok(
        Math.abs(inverseSignedLog(signedLog(lambda, band), band) - lambda) <=
          1e-12 * Math.abs(lambda),
      );
    const config = spectrumConfig(
      'saddle-0',
      { eigenvalues: [-2, 1e-9, 3], complete: true },
      verdict(band),
      theme,
    );
    const byLabel = Object.fromEntries(config.data.datasets.map((d) => [d.label, d.data.length]));
    assert.deepEqual(
      { negative: byLabel.negative, zero: byLabel.zero, positive: byLabel.positive },
      { negative: 1, zero: 1, positive: 1 },
    );
    assert.match(String(config.options!.plugins!.title!.text), /1 negative, zero band ±1e-7/);
  });

  it('spectrum ticks sit on powers of ten of |λ|, mirrored when λ < 0 occurs', () => {
    const band = 1e-7;
    const ticks = spectrumTicks([-2, 1e-9, 3], band).map((y) => inverseSignedLog(y, band));
    const rounded = ticks.map((v) => Number(v.toPrecision(6)));
    // Decades from 10τ = 1e-6 to |λ|max = 3, every other one (at most four per side).
    assert.deepEqual(rounded, [-1, -0.01, -0.0001, -0.000001, 0, 0.000001, 0.0001, 0.01, 1]);
  });

  it('critical points: whole indices on x, log loss only when every loss is positive', () => {
    const points = [
      {
        id: 'run-0',
        label: 'run-0 ×3',
        loss: 0,
        index: 0,
        kind: 'minimum' as const,
        members: ['run-0'],
      },
      {
        id: 'saddle-0',
        label: 'saddle-0',
        loss: 0.2,
        index: 1,
        kind: 'saddle' as const,
        members: ['saddle-0'],
      },
    ];
    const linear = criticalPointsConfig(points, theme, 'saddle-0');
    assert.equal((linear.options!.scales!.y as { type: string }).type, 'linear');
    assert.deepEqual(linear.data.datasets[1].data, [{ x: 1, y: 0.2 }]);
    assert.deepEqual(linear.data.datasets[1].pointRadius, [8]);
    const log = criticalPointsConfig([{ ...points[0], loss: 0.01 }, points[1]], theme, null);
    assert.equal((log.options!.scales!.y as { type: string }).type, 'logarithmic');
    // Exact fits at 1e-30 beside saddles at 0.2: 29 decades, too many for a log axis.
    const wide = criticalPointsConfig([{ ...points[0], loss: 1e-30 }, points[1]], theme, null);
    assert.equal((wide.options!.scales!.y as { type: string }).type, 'linear');
  });

  it('critical points: a search that finds one saddle 40 times draws one marker, labelled ×40', () => {
    const saddle = (k: number, loss: number) => ({
      id: `critical-${k}`,
      label: `critical-${k}`,
      loss,
      index: 2,
      kind: 'saddle' as const,
      members: [`critical-${k}`],
    });
    // The same plateau to 1e-4 of the highest loss, found from 40 starts; another level once.
    const found = [
      ...Array.from({ length: 40 }, (_, k) => saddle(k, 0.25 + 1e-9 * k)),
      saddle(40, 1 / 6),
    ];
    const groups = groupPoints(found);
    assert.deepEqual(
      groups.map((g) => [g.id, g.count, g.members.length]),
      [
        ['critical-0', 40, 40],
        ['critical-40', 1, 1],
      ],
    );
    const config = criticalPointsConfig(found, theme, 'critical-7');
    assert.equal(config.data.datasets[1].data.length, 2);
    // Selected (a member of the first): larger, and the area grows with the count (capped).
    assert.deepEqual(config.data.datasets[1].pointRadius, [24, 5]);
  });

  describe('placing labels', () => {
    const area = { left: 0, right: 400, top: 20, bottom: 200 };
    const overlap = (a: Box, b: Box) =>
      a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

    it('puts a label just above its point, centred', () => {
      const [box] = placeLabels([{ x: 100, y: 100, radius: 5, width: 40 }], 13, area);
      // Bottom 2 px above the marker's top edge (100 − 5 − 2), one line high.
      assert.deepEqual(box, { left: 80, right: 120, bottom: 93, top: 80 });
    });

    it('below its point when above would leave the plot (where the legend is)', () => {
      const [box] = placeLabels([{ x: 100, y: 28, radius: 5, width: 40 }], 13, area);
      assert.deepEqual([box!.top, box!.bottom], [35, 48]); // 28 + 5 + 2 = 35
    });

    it('clear of another marker: a big one right above moves it below', () => {
      const anchors = [{ x: 100, y: 100, radius: 5, width: 60 }];
      const markers = [...anchors, { x: 110, y: 80, radius: 15 }];
      const [box] = placeLabels(anchors, 13, area, { markers });
      assert.deepEqual([box!.top, box!.bottom], [107, 120]);
    });

    it('no two labels, markers or edges overlap in a crowd, and one with no room is left out', () => {
      // Twelve points of nearly equal loss in a row, the saddles-dominate picture.
      const anchors = Array.from({ length: 12 }, (_, k) => ({
        x: 60 + 25 * k,
        y: 110 + (k % 3),
        radius: 5,
        width: 70,
      }));
      const boxes = placeLabels(anchors, 13, area);
      const placed = boxes.filter((b): b is Box => b !== null);
      assert.ok(placed.length >= 6, `${placed.length} placed`);
      for (const [i, a] of placed.entries()) {
        assert.ok(a.left >= 0 && a.right <= 400 && a.top >= 20 && a.bottom <= 200);
        for (const b of placed.slice(i + 1)) assert.ok(!overlap(a, b));
        for (const m of anchors)
          assert.ok(!overlap(a, { left: m.x - 5, right: m.x + 5, top: m.y - 5, bottom: m.y + 5 }));
      }
      const tiny = { left: 0, right: 50, top: 0, bottom: 30 };
      assert.deepEqual(placeLabels([{ x: 25, y: 15, radius: 5, width: 60 }], 13, tiny), [null]);
    });
  });
});

describe('landscape plot geometry', () => {
  const plane: PlaneSlice = {
    type: 'plane',
    directions: 'points',
    center: 'run-0',
    through: ['run-1'],
    x: [-1, 0, 1],
    y: [0, 1, 2, 3],
    loss: [
      [4, 0, 4],
      [5, 1, 5],
      [6, 2, null],
      [7, 3, 7],
    ],
    markers: [
      { id: 'run-0', x: 0, y: 0, distance: 0, verdict: 'minimum' },
      { id: 'run-5', x: 0.5, y: 1, distance: 0.5, verdict: 'minimum' },
    ],
    nonFinite: 1,
  };
  const layout = planeLayout(400, 300);

  it('maps the plane onto the plot area, y up, and back', () => {
    assert.deepEqual(toPixel(layout, plane, -1, 0), { px: layout.left, py: layout.bottom });
    assert.deepEqual(toPixel(layout, plane, 1, 3), { px: layout.right, py: layout.top });
    const { px, py } = toPixel(layout, plane, 0.25, 1.5);
    const back = fromPixel(layout, plane, px, py)!;
    assert.ok(Math.abs(back.x - 0.25) < 1e-12 && Math.abs(back.y - 1.5) < 1e-12);
    assert.equal(fromPixel(layout, plane, layout.left - 1, py), null);
  });

  it('shows the nearest grid sample, never an interpolated loss', () => {
    assert.deepEqual(nearestSample(plane, 0.4, 1.4), { i: 1, j: 1, x: 0, y: 1, loss: 1 });
    assert.equal(nearestSample(plane, 1, 2).loss, null);
  });

  it('color scale: linear from the lowest to the highest loss; log floors 0 at the least positive', () => {
    const linear = colorScale(plane, false)!;
    assert.deepEqual([linear.min, linear.max], [0, 7]);
    assert.equal(linear.position(3.5), 0.5);
    const log = colorScale(plane, true)!;
    assert.deepEqual([log.min, log.max], [1, 7]);
    assert.equal(log.position(0), 0, 'an exact zero takes the bottom color');
    assert.equal(log.position(7), 1);
    // A basin 30 decades deep: the scale spans 8 below the highest loss, no more.
    const deep = colorScale({ ...plane, loss: [[1e-30, 1e-3, 10]] }, true)!;
    assert.deepEqual([deep.min, deep.max], [1e-7, 10]);
    const levels = contourLevels(linear, 6);
    assert.deepEqual(levels, [1, 2, 3, 4, 5, 6]);
  });

  it('picks round ticks', () => {
    assert.deepEqual(niceTicks(0, 1), [0, 0.2, 0.4, 0.6, 0.8, 1]);
    assert.deepEqual(niceTicks(-5, 5), [-4, -2, 0, 2, 4]);
    assert.deepEqual(niceTicks(-6.2, 6.2), [-5, -2.5, 0, 2.5, 5]);
  });

  it('calls a marker on the plane only within 1% of the plot extent', () => {
    assert.equal(isOnPlane(plane, plane.markers[0]), true);
    assert.equal(isOnPlane(plane, plane.markers[1]), false);
  });
});

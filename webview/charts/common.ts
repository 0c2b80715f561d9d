// What every chart shares: the theme's colors (read from --vscode-* variables by the panel,
// passed in here so the builders stay pure), axis styling, and a plugin that writes short
// labels next to chosen points (chart.js has no built-in annotations).
import type { ChartConfiguration, Chart, Plugin } from 'chart.js';
import type { VerdictKind } from '../../src/protocol/result';
import { formatNumber } from '../../src/protocol/wording';

export interface Theme {
  foreground: string;
  muted: string;
  grid: string;
  background: string;
  /** Colors for classes or runs, cycled. */
  series: string[];
  /** Verdict colors: negative curvature is the one thing users must not miss. */
  verdict: Record<VerdictKind, string>;
  fontFamily: string;
  /** High-contrast themes: the border color that outlines everything (null otherwise). */
  contrast: string | null;
}

/** Reads the theme through a getter of CSS variables (getComputedStyle in the panel). */
export function themeFrom(variable: (name: string) => string): Theme {
  const pick = (name: string, fallback: string) => variable(name).trim() || fallback;
  const series = [
    pick('--vscode-charts-blue', '#3794ff'),
    pick('--vscode-charts-orange', '#d18616'),
    pick('--vscode-charts-green', '#89d185'),
    pick('--vscode-charts-purple', '#b180d7'),
    pick('--vscode-charts-yellow', '#cca700'),
    pick('--vscode-charts-red', '#f14c4c'),
  ];
  return {
    foreground: pick('--vscode-editor-foreground', '#cccccc'),
    muted: pick('--vscode-descriptionForeground', '#9d9d9d'),
    grid: pick('--vscode-editorWidget-border', '#454545'),
    background: pick('--vscode-editor-background', '#1e1e1e'),
    series,
    verdict: {
      minimum: series[2],
      saddle: series[5],
      maximum: series[3],
      degenerate: series[4],
      'not-critical': pick('--vscode-descriptionForeground', '#9d9d9d'),
    },
    fontFamily: pick('--vscode-font-family', 'sans-serif'),
    contrast: variable('--vscode-contrastBorder').trim() || null,
  };
}

export function seriesColor(theme: Theme, group: number): string {
  return theme.series[((group % theme.series.length) + theme.series.length) % theme.series.length];
}

/** The color with an alpha, for de-emphasized series (accepts #rgb, #rrggbb, rgb()). */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})([0-9a-f]{2})?$/i.exec(color.trim());
  if (hex) {
    const digits =
      hex[1].length === 3
        ? [...hex[1]].map((d) => d + d)
        : [hex[1].slice(0, 2), hex[1].slice(2, 4), hex[1].slice(4, 6)];
    const [r, g, b] = digits.map((d) => parseInt(d, 16));
    return `rgba(${r}, ${g}, ${b}, ${alpha})`;
  }
  const rgb = /^rgba?\(([^,]+),([^,]+),([^,)]+)/.exec(color.trim());
  if (rgb) return `rgba(${rgb[1].trim()}, ${rgb[2].trim()}, ${rgb[3].trim()}, ${alpha})`;
  return color;
}

export function axis(theme: Theme, title: string, type: 'linear' | 'logarithmic' = 'linear') {
  return {
    type,
    title: { display: true, text: title, color: theme.muted },
    // chart.js prints log ticks as "7.000"; the panel's own number format reads better.
    ticks: {
      color: theme.muted,
      callback: (value: number | string) => formatNumber(Number(value)),
    },
    grid: { color: withAlpha(theme.grid, 0.5) },
    border: { color: theme.grid },
  } as const;
}

export interface PointLabel {
  datasetIndex: number;
  index: number;
  text: string;
}

export interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

const overlaps = (a: Box, b: Box) =>
  a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

const inside = (box: Box, area: Box) =>
  box.left >= area.left &&
  box.right <= area.right &&
  box.top >= area.top &&
  box.bottom <= area.bottom;

/** A point drawn on a chart: its centre and the radius of its marker, in pixels. */
export interface Marker {
  x: number;
  y: number;
  radius: number;
}

/** Lines a label may move away from its point before it is left out (the tooltip has it). */
const FARTHEST_LINES = 6;

/**
 * Places each label next to its point: above it, else below, right or left of it (or right,
 * left, above, below when `besideFirst`), else one line farther up or down at a time. A label keeps clear of the labels already placed, of
 * every marker (its own included) and of the plot area's edges, so that it never covers a
 * point or the legend. Null: no room within FARTHEST_LINES lines (the label is left out).
 */
export function placeLabels(
  anchors: Array<Marker & { width: number }>,
  lineHeight: number,
  area: Box,
  { markers = anchors, besideFirst = false }: { markers?: Marker[]; besideFirst?: boolean } = {},
): (Box | null)[] {
  const taken: Box[] = markers.map(({ x, y, radius }) => ({
    left: x - radius,
    right: x + radius,
    top: y - radius,
    bottom: y + radius,
  }));
  return anchors.map(({ x, y, radius, width }) => {
    const centred = (bottom: number): Box => ({
      left: x - width / 2,
      right: x + width / 2,
      bottom,
      top: bottom - lineHeight,
    });
    const beside = (left: number): Box => ({
      left,
      right: left + width,
      top: y - lineHeight / 2,
      bottom: y + lineHeight / 2,
    });
    const above = y - radius - 2;
    const below = y + radius + 2 + lineHeight;
    const nearest = [centred(above), centred(below)];
    const sides = [beside(x + radius + 3), beside(x - radius - 3 - width)];
    const candidates = [
      ...(besideFirst ? [...sides, ...nearest] : [...nearest, ...sides]),
      ...Array.from({ length: FARTHEST_LINES }, (_, k) => [
        centred(above - (k + 1) * lineHeight),
        centred(below + (k + 1) * lineHeight),
      ]).flat(),
    ];
    const box = candidates.find(
      (candidate) => inside(candidate, area) && !taken.some((other) => overlaps(candidate, other)),
    );
    if (box) taken.push(box);
    return box ?? null;
  });
}

/**
 * Writes each label next to its point, in the foreground color, clear of other labels, of
 * every marker of the chart and of the legend (labels with no room are left to the tooltip).
 */
export function pointLabels(labels: PointLabel[], theme: Theme): Plugin {
  return {
    id: 'pointLabels',
    afterDatasetsDraw(chart: Chart) {
      const { ctx, chartArea } = chart;
      ctx.save();
      ctx.font = `11px ${theme.fontFamily}`;
      ctx.fillStyle = theme.foreground;
      ctx.textAlign = 'left';
      ctx.textBaseline = 'bottom';
      const markers: Marker[] = chart.data.datasets.flatMap((_, datasetIndex) =>
        chart.isDatasetVisible(datasetIndex)
          ? chart.getDatasetMeta(datasetIndex).data.map((element) => ({
              x: element.x,
              y: element.y,
              radius: markerRadius(element),
            }))
          : [],
      );
      const shown = labels.flatMap((label) => {
        const element = chart.getDatasetMeta(label.datasetIndex).data[label.index];
        return element
          ? [{ text: label.text, x: element.x, y: element.y, radius: markerRadius(element) }]
          : [];
      });
      const boxes = placeLabels(
        shown.map((l) => ({ ...l, width: ctx.measureText(l.text).width + 4 })),
        13,
        chartArea,
        { markers },
      );
      shown.forEach((label, k) => {
        const box = boxes[k];
        if (box) ctx.fillText(label.text, box.left + 2, box.bottom);
      });
      ctx.restore();
    },
  };
}

/** The radius a point element is drawn with (its options, once chart.js resolved them). */
function markerRadius(element: { options?: { radius?: number; borderWidth?: number } }): number {
  return (element.options?.radius ?? 3) + (element.options?.borderWidth ?? 1);
}

/** Options every chart shares: no animation (live updates), readable legend and tooltips. */
export function baseOptions(theme: Theme) {
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    color: theme.foreground,
    font: { family: theme.fontFamily },
  } as const;
}

type LineChart<Point> = ChartConfiguration<'line', Point[]>;

/**
 * A line chart of {x, y} points as every chart here draws it: the shared options, parsing
 * off (the points are given as numbers), then its own options.
 */
export function lineChart<Point>(
  theme: Theme,
  datasets: LineChart<Point>['data']['datasets'],
  options: NonNullable<LineChart<Point>['options']>,
  plugins: LineChart<Point>['plugins'] = [],
): LineChart<Point> {
  return {
    type: 'line',
    data: { datasets },
    options: { ...baseOptions(theme), parsing: false, ...options },
    plugins,
  };
}

/** The loss axis, on a log scale or not. */
export function lossAxis(theme: Theme, logScale: boolean) {
  return axis(theme, logScale ? 'loss (log scale)' : 'loss', logScale ? 'logarithmic' : 'linear');
}

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

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

const overlaps = (a: Box, b: Box) =>
  a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/**
 * Places each label above its point, moving it up past labels already placed (points of
 * nearly equal loss would otherwise print on top of each other).
 */
export function placeLabels(
  anchors: Array<{ x: number; y: number; width: number }>,
  lineHeight: number,
): Box[] {
  const placed: Box[] = [];
  for (const anchor of anchors) {
    let box: Box = {
      left: anchor.x - anchor.width / 2,
      right: anchor.x + anchor.width / 2,
      bottom: anchor.y - 7,
      top: anchor.y - 7 - lineHeight,
    };
    while (placed.some((other) => overlaps(box, other)))
      box = { ...box, top: box.top - lineHeight, bottom: box.bottom - lineHeight };
    placed.push(box);
  }
  return placed;
}

/** Writes each label above its point, in the foreground color, without overlaps. */
export function pointLabels(labels: PointLabel[], theme: Theme): Plugin {
  return {
    id: 'pointLabels',
    afterDatasetsDraw(chart: Chart) {
      const { ctx } = chart;
      ctx.save();
      ctx.font = `11px ${theme.fontFamily}`;
      ctx.fillStyle = theme.foreground;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'bottom';
      const shown = labels.flatMap((label) => {
        const element = chart.getDatasetMeta(label.datasetIndex).data[label.index];
        return element ? [{ text: label.text, x: element.x, y: element.y }] : [];
      });
      const boxes = placeLabels(
        shown.map((l) => ({ x: l.x, y: l.y, width: ctx.measureText(l.text).width + 4 })),
        13,
      );
      shown.forEach((label, k) => ctx.fillText(label.text, label.x, boxes[k].bottom));
      ctx.restore();
    },
  };
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

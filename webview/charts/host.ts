// The panel's chart.js charts, one per canvas: built once, rebuilt only when what they show
// changed (their key), and all dropped when the theme changes. The only module besides the
// chart builders that knows chart.js.
import {
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Title,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';

Chart.register(
  LineController,
  ScatterController,
  LineElement,
  PointElement,
  LinearScale,
  LogarithmicScale,
  Filler,
  Legend,
  Title,
  Tooltip,
);

export type { Chart, ChartConfiguration };

export class ChartHost {
  private readonly charts = new Map<HTMLCanvasElement, { chart: Chart; key: string }>();

  /** Creates the chart, or rebuilds it when its inputs (the key) changed. */
  show(canvas: HTMLCanvasElement, key: string, build: () => ChartConfiguration): void {
    const existing = this.charts.get(canvas);
    if (existing && existing.key === key) return;
    existing?.chart.destroy();
    this.charts.set(canvas, { chart: new Chart(canvas, build()), key });
  }

  /**
   * A chart whose data changes often (live curves): its data and options are replaced in
   * place instead of rebuilding it; `created` runs once on a new chart.
   */
  update(
    canvas: HTMLCanvasElement,
    config: ChartConfiguration,
    created: (chart: Chart) => void,
  ): void {
    const existing = this.charts.get(canvas);
    if (existing) {
      existing.chart.data = config.data as Chart['data'];
      existing.chart.options = config.options as Chart['options'];
      existing.chart.update('none');
      return;
    }
    const chart = new Chart(canvas, config);
    created(chart);
    this.charts.set(canvas, { chart, key: '' });
  }

  /** The chart on a canvas, if one is shown (to redraw it without new data). */
  get(canvas: HTMLCanvasElement): Chart | undefined {
    return this.charts.get(canvas)?.chart;
  }

  hide(canvas: HTMLCanvasElement): void {
    this.charts.get(canvas)?.chart.destroy();
    this.charts.delete(canvas);
  }

  /** The theme changed: every chart is built again with its colors. */
  clear(): void {
    this.charts.forEach(({ chart }) => chart.destroy());
    this.charts.clear();
  }
}

// The webview's handle on the host: typed messages out, persisted UI state.
import type { PanelMessage } from '../src/protocol/panelMessages';

/** What survives a reload of the panel (and lets the serializer find the spec again). */
export interface PanelUiState {
  specPath: string;
  selected: string | null;
  slice: number;
  logScale: boolean;
  /** The loss along one parameter on a log scale (off by default: the curve's shape is the point). */
  axisLogScale?: boolean;
  /** Planes as a 3-D surface instead of a heatmap. */
  surface?: boolean;
  /** Where λmin < 0 drawn on slices that have their curvature (on unless turned off). */
  curvature?: boolean;
  /** Planes colored by the loss (default) or by |λmin/λmax| where the slice recorded it. */
  colorBy?: 'loss' | 'ratio';
  /** On a line or axis with smoothings: 0 the plain loss, k the k-th σ's L_σ. */
  smoothing?: number;
}

interface VsCodeApi {
  postMessage(message: PanelMessage): void;
  getState(): PanelUiState | undefined;
  setState(state: PanelUiState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export const vscode: VsCodeApi = acquireVsCodeApi();

// What every part of the panel is: a root element, when it shows, and how it draws itself
// from the panel's state. main.ts lists the sections in page order; adding one is writing its
// module and adding it to that list.
import type { PanelMessage } from '../../src/protocol/panelMessages';
import type { ChartHost } from '../charts/host';
import type { Theme } from '../charts/common';
import type { PanelModel } from '../model';
import type { PanelUiState } from '../vscodeApi';

/** The state a section renders from, and what it may do. */
export interface PanelContext {
  readonly model: PanelModel;
  readonly ui: PanelUiState;
  readonly theme: Theme;
  /** Bumped when a new result arrives and when the theme changes: chart keys include them. */
  readonly versions: { result: number; theme: number };
  readonly charts: ChartHost;
  setUi(change: Partial<PanelUiState>): void;
  post(message: PanelMessage): void;
  /** An "Export PNG" button for a canvas, painted on the theme's background. */
  exportPng(canvas: HTMLCanvasElement, name: string, label?: string): HTMLElement;
  /** The spec's name without `.loss.json`, for export file names. */
  baseName(): string;
}

export interface PanelSection {
  readonly root: HTMLElement;
  visible(context: PanelContext): boolean;
  render(context: PanelContext): void;
  /** Called instead of render while hidden: release charts. */
  hide?(context: PanelContext): void;
}

/** No result yet and nothing running. */
export function isEmpty({ model }: PanelContext): boolean {
  return model.result === null && model.status !== 'running';
}

/** A finished result to show (not while a new run is in progress). */
export function hasSettledResult({ model }: PanelContext): boolean {
  return model.result !== null && model.status !== 'running';
}

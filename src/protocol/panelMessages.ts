// Messages between the extension host and the results panel (webview). One union per
// direction, a runtime check of what arrives (a reloaded panel may run an older bundle),
// and a `ready` handshake: the host posts nothing before the panel says it listens.
import type { EngineEvent } from './events';
import type { AnalysisResult, Verdict } from './result';

/** What the panel shows as a whole: no result yet, a run in progress, or its outcome. */
export type PanelStatus = 'empty' | 'running' | 'done' | 'failed' | 'cancelled';

export type EnginePhase = Extract<EngineEvent, { type: 'phase' }>['phase'];

export interface PanelSnapshot {
  /** The spec file's name, for titles and export file names. */
  file: string;
  /** Absolute path of the spec; kept in the panel's state so a reload finds it again. */
  specPath: string;
  status: PanelStatus;
  /** The last result on disk (kept while a new run is in progress or after a failure). */
  result: AnalysisResult | null;
  /** True when the spec (or a file it reads) changed since `result` was computed. */
  stale: boolean;
  /** Why a run failed, or what a cancelled run left behind. */
  message?: string;
}

export interface ProgressPoint {
  run: number;
  epoch: number;
  loss: number;
}

export type HostMessage =
  | { type: 'snapshot'; snapshot: PanelSnapshot }
  | { type: 'started'; runs: number; epochs: number; parameterCount: number }
  /** Training progress, batched by the host so a fast engine cannot flood the panel. */
  | { type: 'progress'; points: ProgressPoint[] }
  | { type: 'run-finished'; run: number; epochs: number; loss: number; stopReason: string }
  | { type: 'phase'; phase: EnginePhase }
  | { type: 'verdict'; id: string; verdict: Verdict }
  | { type: 'stale'; stale: boolean };

export type ExportFormat = 'png' | 'csv';

export type PanelMessage =
  | { type: 'ready' }
  | { type: 'analyze' }
  | { type: 'cancel' }
  | { type: 'open-result' }
  | { type: 'show-log' }
  /** `data` is a `data:image/png;base64,…` URL for PNG, the text itself for CSV. */
  | { type: 'export'; format: ExportFormat; name: string; data: string }
  /** A run's or point's parameters as a PyTorch state_dict (safetensors). */
  | { type: 'export-weights'; id: string };

const HOST_TYPES = new Set<HostMessage['type']>([
  'snapshot',
  'started',
  'progress',
  'run-finished',
  'phase',
  'verdict',
  'stale',
]);

const PANEL_TYPES = new Set<PanelMessage['type']>([
  'ready',
  'analyze',
  'cancel',
  'open-result',
  'show-log',
  'export',
  'export-weights',
]);

function typeOf(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : null;
}

export function isHostMessage(value: unknown): value is HostMessage {
  return HOST_TYPES.has(typeOf(value) as HostMessage['type']);
}

export function isPanelMessage(value: unknown): value is PanelMessage {
  const type = typeOf(value) as PanelMessage['type'];
  if (!PANEL_TYPES.has(type)) return false;
  if (type === 'export-weights') return typeof (value as { id?: unknown }).id === 'string';
  if (type !== 'export') return true;
  const { format, name, data } = value as { format?: unknown; name?: unknown; data?: unknown };
  return (
    (format === 'png' || format === 'csv') && typeof name === 'string' && typeof data === 'string'
  );
}

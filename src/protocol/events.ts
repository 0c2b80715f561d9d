// Events the engine emits while it works. The child process forwards them over IPC
// unchanged; the CLI turns them into a progress bar. One discriminated union, so a
// consumer's exhaustive switch fails to compile when a kind is added.
import type { Verdict, VerdictKind } from './result';
import type { Problem } from './problems';

export type EngineEvent =
  | {
      type: 'start';
      runs: number;
      points: number;
      epochs: number;
      parameterCount: number;
      threads: number;
      /** When one shard of a split runs: which, and the runs and points it does. */
      shard?: { index: number; count: number; runs: number; points: number };
    }
  | { type: 'progress'; run: number; epoch: number; loss: number }
  | { type: 'run-finished'; run: number; epochs: number; loss: number; stopReason: string }
  | { type: 'phase'; phase: 'data' | 'training' | 'analysis' | 'slices' | 'writing' }
  | { type: 'verdict'; id: string; verdict: Verdict }
  | { type: 'invalid'; problems: Problem[] }
  | { type: 'done'; resultPath: string | null; summary: AnalysisSummary }
  | { type: 'failed'; message: string };

/** What a finished analysis found, in brief; the result itself is in the file. */
export interface AnalysisSummary {
  name: string;
  /** The verdict of every run and point, in the result's order. */
  verdicts: VerdictKind[];
  /** How many distinct networks (classes). */
  classes: number;
}

/** Messages the host sends to the engine child process. */
export type EngineCommand =
  | {
      type: 'analyze';
      specPath: string;
      outPath: string;
      threads?: number;
      /** Exact-Hessian limit for files that set none. */
      exactLimit?: number;
      /** Python for a PyTorch model: the lossLandscape.python setting, the Python extension's environment. */
      python?: { setting?: string | null; activeEnvironment?: string | null };
    }
  | { type: 'cancel' };

const EVENT_TYPES = new Set<EngineEvent['type']>([
  'start',
  'progress',
  'run-finished',
  'phase',
  'verdict',
  'invalid',
  'done',
  'failed',
]);

/** Runtime check of what arrives over IPC: the other side may be a different build. */
export function isEngineEvent(value: unknown): value is EngineEvent {
  return (
    typeof value === 'object' &&
    value !== null &&
    EVENT_TYPES.has((value as { type?: unknown }).type as EngineEvent['type'])
  );
}

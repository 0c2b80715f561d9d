// The ids that name analyzed points across the result file, the events and the panel:
// trained runs "run-3", named points "point:A", saddles found between twins "saddle-0",
// search starts "start-7" and the distinct critical points they reached "critical-2".
// Made and read here only, so their spelling has one home.

export type PointRef =
  | { kind: 'run'; index: number }
  | { kind: 'point'; name: string }
  | { kind: 'saddle'; index: number }
  | { kind: 'start'; index: number }
  | { kind: 'critical'; index: number };

export const runId = (index: number): string => `run-${index}`;
export const pointId = (name: string): string => `point:${name}`;
export const saddleId = (index: number): string => `saddle-${index}`;
export const startId = (index: number): string => `start-${index}`;
export const criticalId = (index: number): string => `critical-${index}`;

const NUMBERED = /^(run|saddle|start|critical)-(0|[1-9][0-9]*)$/;
const POINT_PREFIX = 'point:';

/** What an id names, or null when it is not one of ours. */
export function parseId(id: string): PointRef | null {
  if (id.startsWith(POINT_PREFIX)) {
    const name = id.slice(POINT_PREFIX.length);
    return name.length > 0 ? { kind: 'point', name } : null;
  }
  const numbered = NUMBERED.exec(id);
  if (!numbered) return null;
  return {
    kind: numbered[1] as 'run' | 'saddle' | 'start' | 'critical',
    index: Number(numbered[2]),
  };
}

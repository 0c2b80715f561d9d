// Splitting one file's work over machines, exactly: shard K of N does every index i of the
// runs, the named points and the search's starts with i mod N = K. Each of those is a pure
// function of (spec, dataset, its index), so the parts hold exactly what one machine would
// compute, and the merge does what needs them all (classes, paths, slices) as one machine
// would. A part records the shard, the spec's hash and the engine's version, so that parts
// that do not belong together are refused rather than merged.
import { basename, dirname, join } from 'node:path';
import type { AnalyzedPoint } from './jobs';

export interface Shard {
  /** 0-based, below count. */
  index: number;
  count: number;
}

/** The indices below `count` that the shard does (all of them without a shard). */
export function shardIndices(count: number, shard: Shard | null): number[] {
  const all = Array.from({ length: count }, (_, i) => i);
  return shard ? all.filter((i) => i % shard.count === shard.index) : all;
}

/** "2/4" → shard 2 of 4; null when it is not K/N with 0 ≤ K < N. */
export function parseShard(text: string): Shard | null {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!match) return null;
  const [index, count] = [Number(match[1]), Number(match[2])];
  return count >= 1 && index < count ? { index, count } : null;
}

export const PART_FORMAT = 'loss-landscape-part';

/** What a shard writes: its analyzed points, with what the merge needs to trust them. */
export interface PartialResult {
  format: typeof PART_FORMAT;
  version: 1;
  engine: { name: string; version: string };
  /** The spec's hash (the file and the files it reads) when the shard ran. */
  specHash: string;
  shard: Shard;
  /** Where it ran and how long it took (wall time of the whole process). */
  host: string;
  seconds: number;
  /** Runs and named points, then the search's starts (θ and training snapshots included). */
  points: AnalyzedPoint[];
  starts: AnalyzedPoint[];
}

/**
 * JSON for a part: Float64Arrays as number lists, and the numbers JSON has no word for
 * (±Infinity, NaN: a diverged run's loss curve may hold them; −0, which JSON reads as 0)
 * as { "$number": "…" }, so that the merge computes on exactly what the shard did.
 */
export function serializePart(part: PartialResult): string {
  return JSON.stringify(part, (_key, value: unknown) => {
    if (value instanceof Float64Array) return { $f64: Array.from(value) };
    if (typeof value === 'number' && (!Number.isFinite(value) || Object.is(value, -0)))
      return { $number: Object.is(value, -0) ? '-0' : String(value) };
    return value;
  });
}

/** The value serializePart wrote (unchecked: see readPart). */
export function deserializePart(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
    if ('$f64' in value) return Float64Array.from((value as { $f64: number[] }).$f64);
    if ('$number' in value) return Number((value as { $number: string }).$number);
    return value;
  });
}

/** The log a scheduler writes beside a part (see slurm.ts), when there is one. */
export function logOfPart(partPath: string): string {
  return partPath.replace(/\.part\.json$/, '.log');
}

/** Where the parts of a split go by default: next to the file, in FILE.shards/. */
export function defaultShardFolder(specPath: string): string {
  return join(dirname(specPath), `${basename(specPath).replace(/(\.loss)?\.json$/i, '')}.shards`);
}

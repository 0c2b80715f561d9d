// One file's analysis split over machines: a shard does its share of the indexed work (runs,
// named points, search starts: shards.ts) and writes a part; the merge checks that the parts
// belong together and are all there, then does what needs every run — classes, paths between
// twins, the search's distinct points, slices — exactly as one machine would.
import { hostname } from 'node:os';
import { basename } from 'node:path';
import { existsSync } from 'node:fs';
import { pointId, runId, startId } from '../protocol/ids';
import type { ShardRecord } from '../protocol/result';
import { begin, finish, write, type AnalyzeOptions, type AnalyzeOutcome } from './analyze';
import type { AnalyzedPoint } from './jobs';
import { readTextFile, writeFileAtomically } from './files';
import { CancelledError } from './pool';
import {
  deserializePart,
  logOfPart,
  PART_FORMAT,
  serializePart,
  shardIndices,
  type PartialResult,
  type Shard,
} from './shards';
import { trainAndJudge } from './stages';
import { ENGINE_VERSION } from './version';
import { closeTorchModel } from './torch/torchModel';

/** Parts that cannot be merged: each message names the part or the shard and what is wrong. */
export class MergeError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

export type ShardOutcome =
  | { status: 'ok'; part: PartialResult; partPath: string }
  | Exclude<AnalyzeOutcome, { status: 'ok' }>;

/** "runs/xor.loss.json", shard 1 of 4 → "runs/xor.shard-1-of-4.part.json" */
export function defaultPartPath(specPath: string, shard: Shard): string {
  const stem = specPath.replace(/(\.loss)?\.json$/i, '');
  return `${stem}.shard-${shard.index}-of-${shard.count}.part.json`;
}

/** Shard K of N: its runs, named points and search starts, written as a part (atomically). */
export async function analyzeShard(options: AnalyzeOptions, shard: Shard): Promise<ShardOutcome> {
  try {
    return await analyzeShardOnce(options, shard);
  } finally {
    closeTorchModel(options.specPath);
  }
}

async function analyzeShardOnce(options: AnalyzeOptions, shard: Shard): Promise<ShardOutcome> {
  const started = performance.now();
  const begun = begin(options, shard);
  if (begun.status === 'invalid') return begun;
  try {
    const work = await trainAndJudge(begun.analysis, shard);
    if (options.signal?.aborted) return { status: 'cancelled' };
    const part: PartialResult = {
      format: PART_FORMAT,
      version: 1,
      engine: { name: 'losslab', version: ENGINE_VERSION },
      specHash: begun.input.files.digest(),
      shard,
      host: hostname(),
      seconds: Math.round(performance.now() - started) / 1000,
      points: work.points,
      starts: work.starts,
    };
    const partPath = options.outPath ?? defaultPartPath(options.specPath, shard);
    writeFileAtomically(partPath, serializePart(part));
    return { status: 'ok', part, partPath };
  } catch (error) {
    if (error instanceof CancelledError) return { status: 'cancelled' };
    throw error;
  }
}

/**
 * Merges the parts of FILE into its result. Throws MergeError, before anything is written,
 * when a part is missing, unreadable, of another spec or engine, or when the shards do not
 * add up to the whole file.
 */
export async function mergeParts(
  options: AnalyzeOptions,
  partPaths: string[],
): Promise<AnalyzeOutcome> {
  try {
    return await mergePartsOnce(options, partPaths);
  } finally {
    closeTorchModel(options.specPath);
  }
}

async function mergePartsOnce(
  options: AnalyzeOptions,
  partPaths: string[],
): Promise<AnalyzeOutcome> {
  const begun = begin(options);
  if (begun.status === 'invalid') return begun;
  const specHash = begun.input.files.digest();
  const parts = readParts(partPaths, specHash);
  const { spec } = begun.analysis;
  checkShards(parts, {
    runs: spec.training.runs,
    points: spec.points.map((p) => p.name),
    starts: spec.analysis.search.starts,
  });
  // The order one machine gives: runs by index, then points as the file lists them, then starts.
  const byId = new Map<string, AnalyzedPoint>();
  for (const { part } of parts)
    for (const point of [...part.points, ...part.starts]) byId.set(point.id, point);
  const take = (id: string) => byId.get(id)!;
  const work = {
    points: [
      ...Array.from({ length: spec.training.runs }, (_, i) => take(runId(i))),
      ...spec.points.map((p) => take(pointId(p.name))),
    ],
    starts: Array.from({ length: spec.analysis.search.starts }, (_, i) => take(startId(i))),
  };
  const shards: ShardRecord[] = parts
    .sort((a, b) => a.part.shard.index - b.part.shard.index)
    .map(({ part, path }) => ({
      index: part.shard.index,
      count: part.shard.count,
      host: part.host,
      seconds: part.seconds,
      runs: part.points.filter((p) => p.origin.kind === 'run').length,
      points: part.points.filter((p) => p.origin.kind === 'point').length,
      starts: part.starts.length,
      part: path,
      ...(existsSync(logOfPart(path)) ? { log: logOfPart(path) } : {}),
    }));
  try {
    const result = await finish(begun, work, shards);
    return write(options, begun, result);
  } catch (error) {
    if (error instanceof CancelledError) return { status: 'cancelled' };
    throw error;
  }
}

/** Each part read and checked on its own: present, a part, of this spec and engine. */
function readParts(paths: string[], specHash: string): { path: string; part: PartialResult }[] {
  const problems: string[] = [];
  const parts: { path: string; part: PartialResult }[] = [];
  for (const path of paths) {
    const read = readTextFile(path);
    if (!read.ok) {
      // A shard that failed wrote no part; its name and log say which and why.
      const shard = /shard-(\d+)-of-(\d+)/.exec(basename(path));
      const log = logOfPart(path);
      problems.push(
        `${path}: the part ${read.reason}` +
          (shard ? `: shard ${shard[1]} of ${shard[2]} did not finish` : '') +
          (existsSync(log)
            ? `; its log is ${log}`
            : shard
              ? ` and left no log (${log}): it never started`
              : ''),
      );
      continue;
    }
    let part: unknown;
    try {
      part = deserializePart(read.text);
    } catch {
      problems.push(`${path}: not a part file (it is not JSON)`);
      continue;
    }
    const why = whyNotAPart(part, specHash);
    if (why) problems.push(`${path}: ${why}`);
    else parts.push({ path, part: part as PartialResult });
  }
  if (problems.length > 0) throw new MergeError(problems);
  return parts;
}

function whyNotAPart(value: unknown, specHash: string): string | null {
  const part = value as Partial<PartialResult> | null;
  if (!part || typeof part !== 'object' || part.format !== PART_FORMAT)
    return `not a part file (written by losslab analyze --shard K/N)`;
  if (part.engine?.version !== ENGINE_VERSION)
    return `written by engine ${part.engine?.version ?? 'unknown'}, and this is ${ENGINE_VERSION}: run the shards again with this version`;
  if (part.specHash !== specHash)
    return `written for another version of the file or its data (spec hash ${String(part.specHash).slice(0, 12)}…, now ${specHash.slice(0, 12)}…): the file changed since the shards ran`;
  const shard = part.shard;
  if (
    !shard ||
    !Number.isInteger(shard.index) ||
    !Number.isInteger(shard.count) ||
    shard.index < 0 ||
    shard.index >= shard.count
  )
    return 'its shard is not K of N with 0 ≤ K < N';
  if (!Array.isArray(part.points) || !Array.isArray(part.starts)) return 'it holds no points';
  return null;
}

/** The shards are one split (the same N), each once, all N of them, and hold what they should. */
function checkShards(
  parts: { path: string; part: PartialResult }[],
  expected: { runs: number; points: string[]; starts: number },
): void {
  const problems: string[] = [];
  const counts = new Set(parts.map(({ part }) => part.shard.count));
  if (counts.size > 1)
    throw new MergeError([
      `the parts come from different splits: ${[...counts].map((n) => `${n} shards`).join(' and ')}`,
    ]);
  const count = [...counts][0];
  if (count === undefined) throw new MergeError(['no parts to merge']);
  const seen = new Map<number, string>();
  for (const { path, part } of parts) {
    const twin = seen.get(part.shard.index);
    if (twin) problems.push(`${path} and ${twin} are both shard ${part.shard.index} of ${count}`);
    seen.set(part.shard.index, path);
  }
  for (let k = 0; k < count; k++)
    if (!seen.has(k)) problems.push(`shard ${k} of ${count} is missing: no part given for it`);
  for (const { path, part } of parts) {
    const shard = part.shard;
    const want = [
      ...shardIndices(expected.runs, shard).map(runId),
      ...shardIndices(expected.points.length, shard).map((k) => pointId(expected.points[k])),
      ...shardIndices(expected.starts, shard).map(startId),
    ];
    const have = [...part.points, ...part.starts].map((p) => p.id);
    if (want.length !== have.length || want.some((id) => !have.includes(id)))
      problems.push(
        `${path}: shard ${shard.index} of ${count} should hold ${want.length} runs, points and starts, and holds ${have.length} (${have.slice(0, 4).join(', ')}${have.length > 4 ? ', …' : ''})`,
      );
  }
  if (problems.length > 0) throw new MergeError(problems);
}

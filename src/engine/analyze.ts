// The pipeline: read and check the spec, then the stages (stages.ts) — train and judge,
// classes, paths and search, slices — then the result file, written atomically. Emits
// events as it goes. Used in-process by the CLI and inside the engine child process.
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import type { Dataset } from '../core/data/dataset';
import { parameterNamesOf } from '../core/model/build';
import { mlpArchitectureOf } from '../core/model/module';
import { unitNetworkOf } from '../core/model/units';
import { filterLayoutOf } from '../core/model/filters';
import { loadSpec } from '../core/lossfile/load';
import type { ResolvedSpec } from '../core/vocabulary';
import type { EngineEvent } from '../protocol/events';
import type { Problem } from '../protocol/problems';
import type { AnalysisResult, ShardRecord } from '../protocol/result';
import { assembleResult } from './assemble';
import { defaultResultPath, readTextFile, SpecFiles, writeFileAtomically } from './files';
import { CancelledError } from './pool';
import { closeTorchModel, moduleDescriber } from './torch/torchModel';
import { shardIndices, type Shard } from './shards';
import {
  findClasses,
  landscapeSlices,
  pathsBetween,
  searchResults,
  trainAndJudge,
  type Analysis,
  type IndexedWork,
} from './stages';

export interface AnalyzeOptions {
  specPath: string;
  /** Where to write the result; default next to the spec; null to write nothing. */
  outPath?: string | null;
  threads?: number;
  /** Worker threads: "auto" uses them when the work pays for starting them. */
  parallel?: 'auto' | 'always' | 'never';
  /** Exact-Hessian limit for files that set none (the editor's setting). */
  exactLimit?: number;
  /** Where to find Python for a PyTorch model (the lossLandscape.python setting, the Python extension's environment). */
  python?: { setting?: string | null; activeEnvironment?: string | null };
  signal?: AbortSignal;
  onEvent?: (event: EngineEvent) => void;
}

export type AnalyzeOutcome =
  | { status: 'ok'; result: AnalysisResult; resultPath: string | null }
  | { status: 'invalid'; problems: Problem[] }
  | { status: 'cancelled' };

export class SpecNotFoundError extends Error {}

export async function analyzeFile(options: AnalyzeOptions): Promise<AnalyzeOutcome> {
  try {
    const begun = begin(options);
    if (begun.status === 'invalid') return begun;
    const work = await trainAndJudge(begun.analysis);
    const result = await finish(begun, work, []);
    return write(options, begun, result);
  } catch (error) {
    if (error instanceof CancelledError) return { status: 'cancelled' };
    throw error;
  } finally {
    closeTorchModel(options.specPath);
  }
}

/** The spec loaded and checked, the analysis the stages share, and the clock started. */
export interface Begun {
  status: 'loaded';
  input: Extract<LoadedInput, { status: 'loaded' }>;
  analysis: Analysis;
  clock: ReturnType<typeof stageClock>;
  loadSeconds: number;
  threads: number;
}

/** Reads and loads the spec (emitting its problems), and says what the analysis will do. */
export function begin(
  options: AnalyzeOptions,
  shard: Shard | null = null,
): Begun | { status: 'invalid'; problems: Problem[] } {
  const emit = options.onEvent ?? (() => undefined);
  const clock = stageClock();
  const threads = Math.max(1, options.threads ?? availableParallelism());
  const input = readAndLoad(options, emit);
  if (input.status === 'invalid') return input;
  const { spec, dataset } = input;
  const loadSeconds = clock.lap();
  // Names and count only: the model itself is built where the jobs run.
  const parameterNames = parameterNamesOf(spec, dataset.inputDim);
  const analysis: Analysis = {
    spec,
    dataset,
    parameterCount: parameterNames.length,
    parameterNames,
    architecture: mlpArchitectureOf(spec.model, dataset.inputDim),
    units: unitNetworkOf(spec.model, dataset.inputDim),
    filters: filterLayoutOf(spec.model, dataset.inputDim),
    pool: { threads, parallel: options.parallel, signal: options.signal },
    emit,
  };
  emit({
    type: 'start',
    runs: spec.training.runs,
    points: spec.points.length,
    epochs: spec.training.epochs,
    parameterCount: parameterNames.length,
    threads,
    ...(shard
      ? {
          shard: {
            ...shard,
            runs: shardIndices(spec.training.runs, shard).length,
            points: shardIndices(spec.points.length, shard).length,
          },
        }
      : {}),
  });
  return { status: 'loaded', input, analysis, clock, loadSeconds, threads };
}

/**
 * What needs every run and point — classes, the paths between twins, the search's distinct
 * points, the slices — and the result file's contents: the same whether the indexed work ran
 * here or came from the shards of a cluster (`shards` records them).
 */
export async function finish(
  begun: Begun,
  work: IndexedWork,
  shards: ShardRecord[],
): Promise<AnalysisResult> {
  const { analysis, clock, input } = begun;
  const { spec, dataset } = analysis;
  const { points, starts } = work;
  const trainingAndVerdictsSeconds = clock.lap();
  const classes = findClasses(analysis, points);
  const equivalenceSeconds = clock.lap();
  const saddles = await pathsBetween(analysis, points, classes);
  const { search, searchSeconds } = searchResults(analysis, starts, classes);
  clock.lap();
  const sliced = await landscapeSlices(analysis, points, saddles, classes.classes);
  const slicesSeconds = clock.lap();
  const stage = (part: 'training' | 'refinement' | 'spectrum') =>
    round(points.reduce((sum, point) => sum + (point.stages?.[part] ?? 0), 0));
  return assembleResult({
    spec,
    dataset,
    fileName: input.fileName,
    specHash: input.files.digest(),
    parameterNames: analysis.parameterNames,
    points,
    ...classes,
    saddles,
    search,
    slices: sliced.slices,
    warnings: [...input.warnings, ...sliced.warnings],
    timings: {
      loadSeconds: begun.loadSeconds,
      trainingSeconds: stage('training'),
      refinementSeconds: stage('refinement'),
      spectrumSeconds: stage('spectrum'),
      equivalenceSeconds,
      pathsSeconds: round(saddles.reduce((sum, saddle) => sum + saddle.seconds, 0)),
      searchSeconds: round(searchSeconds),
      slicesSeconds,
      totalSeconds: clock.total(),
      trainingAndVerdictsSeconds,
    },
    threads: begun.threads,
    shards,
  });
}

/** Writes the result atomically (unless cancelled meanwhile) and says it is done. */
export function write(
  options: AnalyzeOptions,
  begun: Begun,
  result: AnalysisResult,
): AnalyzeOutcome {
  const { emit } = begun.analysis;
  if (options.signal?.aborted) return { status: 'cancelled' };
  const resultPath =
    options.outPath === null ? null : (options.outPath ?? defaultResultPath(options.specPath));
  if (resultPath) {
    emit({ type: 'phase', phase: 'writing' });
    writeFileAtomically(resultPath, JSON.stringify(result, null, 1) + '\n');
  }
  emit({
    type: 'done',
    resultPath,
    summary: {
      name: result.name,
      verdicts: result.runs.map((run) => run.verdict.kind),
      classes: result.classes.length,
    },
  });
  return { status: 'ok', result, resultPath };
}

export type LoadedInput =
  | {
      status: 'loaded';
      spec: ResolvedSpec;
      dataset: Dataset;
      files: SpecFiles;
      fileName: string;
      /** Warnings of the file, repeated in the result. */
      warnings: string[];
    }
  | { status: 'invalid'; problems: Problem[] };

/** The spec and its dataset, or the problems that stop it (reported as an event too). */
function readAndLoad(options: AnalyzeOptions, emit: (event: EngineEvent) => void): LoadedInput {
  const fileName = basename(options.specPath);
  const invalid = (problems: Problem[]): LoadedInput => {
    emit({ type: 'invalid', problems });
    return { status: 'invalid', problems };
  };
  const read = readTextFile(options.specPath);
  if (!read.ok) {
    // No file to analyze is a usage error; a file that cannot be decoded is an invalid one.
    if (read.failure !== 'encoding' && read.failure !== 'too-large')
      throw new SpecNotFoundError(`cannot read ${options.specPath}: it ${read.reason}`);
    const at = { path: [], file: fileName, line: 1, column: 1, offset: 0, length: 0 };
    return invalid([{ severity: 'error', message: `the file ${read.reason}`, ...at }]);
  }
  emit({ type: 'phase', phase: 'data' });
  const files = new SpecFiles(options.specPath, read.text);
  const loaded = loadSpec(read.text, {
    fileName,
    readFile: files.readRelative,
    readBinary: files.readRelativeBytes,
    exactLimit: options.exactLimit,
    describeModule: moduleDescriber(
      options.specPath,
      { ...options.python, threads: options.threads },
      files.readRelativeBytes,
    ),
  });
  const problems = loaded.problems.map((problem) => ({
    ...problem,
    file: problem.file ?? fileName,
  }));
  if (!loaded.spec || !loaded.dataset) return invalid(problems);
  const warnings = problems
    .filter((p) => p.severity === 'warning')
    .map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`);
  return {
    status: 'loaded',
    spec: loaded.spec,
    dataset: loaded.dataset,
    files,
    fileName,
    warnings,
  };
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}

/** Seconds since the last lap (rounded to the millisecond), and since the start. */
function stageClock() {
  const started = performance.now();
  let last = started;
  const seconds = (from: number) => Math.round(performance.now() - from) / 1000;
  return {
    lap(): number {
      const lap = seconds(last);
      last = performance.now();
      return lap;
    },
    total: (): number => seconds(started),
  };
}

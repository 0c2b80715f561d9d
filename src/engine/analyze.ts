// The pipeline: spec → data → runs → verdicts → classes → result file, emitting events
// as it goes. Used in-process by the CLI and inside the engine child process.
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { groupEquivalent, type Analyzed, type EquivalenceContext } from '../core/analysis/classes';
import {
  buildModel,
  buildOutputProbe,
  parameterNamesOf,
  type ModelContext,
} from '../core/model/build';
import { MlpArchitecture } from '../core/model/mlp';
import { loadSpec } from '../core/spec/load';
import type { Problem } from '../protocol/problems';
import type { EngineEvent } from '../protocol/events';
import type { AnalysisResult, RunResult, Slice } from '../protocol/result';
import { defaultResultPath, readTextFile, SpecFiles, writeFileAtomically } from './files';
import { pathPairs, summarizeSearch, toAnalyzed, toRunResult } from './assemble';
import type { GridOutcome, Job, JobOutcome, PathOutcome, SearchOutcome } from './jobs';
import { planSlices, type Located } from './slices';
import { CancelledError, runJobs } from './pool';
import { ENGINE_VERSION } from './version';
import { parseId, runId } from '../protocol/ids';

export interface AnalyzeOptions {
  specPath: string;
  /** Where to write the result; default next to the spec; null to write nothing. */
  outPath?: string | null;
  threads?: number;
  /** Worker threads: "auto" uses them when the work pays for starting them. */
  parallel?: 'auto' | 'always' | 'never';
  /** Exact-Hessian limit for files that set none (the editor's setting). */
  exactLimit?: number;
  signal?: AbortSignal;
  onEvent?: (event: EngineEvent) => void;
}

export type AnalyzeOutcome =
  | { status: 'ok'; result: AnalysisResult; resultPath: string | null }
  | { status: 'invalid'; problems: Problem[] }
  | { status: 'cancelled' };

export class SpecNotFoundError extends Error {}

export async function analyzeFile(options: AnalyzeOptions): Promise<AnalyzeOutcome> {
  const emit = options.onEvent ?? (() => undefined);
  const started = performance.now();
  const threads = Math.max(1, options.threads ?? availableParallelism());
  const fileName = basename(options.specPath);
  const read = readTextFile(options.specPath);
  if (!read.ok) {
    // No file to analyze is a usage error; a file that cannot be decoded is an invalid one.
    if (read.failure !== 'encoding' && read.failure !== 'too-large')
      throw new SpecNotFoundError(`cannot read ${options.specPath}: it ${read.reason}`);
    const problem: Problem = {
      severity: 'error',
      message: `the file ${read.reason}`,
      path: [],
      file: fileName,
      line: 1,
      column: 1,
      offset: 0,
      length: 0,
    };
    emit({ type: 'invalid', problems: [problem] });
    return { status: 'invalid', problems: [problem] };
  }
  const text = read.text;
  emit({ type: 'phase', phase: 'data' });
  const files = new SpecFiles(options.specPath, text);
  const loaded = loadSpec(text, {
    fileName,
    readFile: files.readRelative,
    exactLimit: options.exactLimit,
  });
  const located = loaded.problems.map((problem) => ({
    ...problem,
    file: problem.file ?? fileName,
  }));
  if (!loaded.spec || !loaded.dataset) {
    emit({ type: 'invalid', problems: located });
    return { status: 'invalid', problems: located };
  }
  const { spec, dataset } = loaded;
  const loadSeconds = (performance.now() - started) / 1000;
  // Names and count only: the model itself is built where the jobs run.
  const parameterNames = parameterNamesOf(spec, dataset.inputDim);
  const parameterCount = parameterNames.length;
  const trajectoryCenters = new Set(
    spec.analysis.slices.flatMap((s) =>
      s.type === 'plane' && s.directions === 'trajectory' && s.center ? [s.center] : [],
    ),
  );

  const jobs: Job[] = [
    ...Array.from({ length: spec.training.runs }, (_, index): Job => ({
      kind: 'run',
      index,
      snapshots: trajectoryCenters.has(runId(index)),
    })),
    ...spec.points.map((p): Job => ({ kind: 'point', name: p.name })),
  ];
  emit({
    type: 'start',
    runs: spec.training.runs,
    points: spec.points.length,
    epochs: spec.training.epochs,
    parameterCount: parameterCount,
    threads,
  });
  emit({ type: 'phase', phase: 'training' });
  let outcomes: JobOutcome[];
  let pathOutcomes: PathOutcome[] = [];
  const trainingStarted = performance.now();
  try {
    const results = await runJobs(spec, dataset, parameterCount, jobs, {
      threads,
      parallel: options.parallel,
      signal: options.signal,
      onProgress: (run, epoch, loss) => emit({ type: 'progress', run, epoch, loss }),
      onJobDone: (outcome) => {
        if (outcome.kind !== 'run' && outcome.kind !== 'point') return;
        if (outcome.kind === 'run') {
          const ref = parseId(outcome.id);
          const run = ref?.kind === 'run' ? ref.index : -1;
          emit({
            type: 'run-finished',
            run,
            epochs: outcome.epochs ?? 0,
            loss: outcome.loss,
            stopReason: outcome.stopReason ?? 'epochs',
          });
        }
        emit({ type: 'verdict', id: outcome.id, verdict: outcome.verdict });
      },
    });
    outcomes = results.filter((r): r is JobOutcome => r.kind === 'run' || r.kind === 'point');
  } catch (error) {
    if (error instanceof CancelledError) return { status: 'cancelled' };
    throw error;
  }
  const jobSeconds = (performance.now() - trainingStarted) / 1000;

  emit({ type: 'phase', phase: 'analysis' });
  const analyzed: Analyzed[] = outcomes.map(toAnalyzed);
  const equivalenceContext: EquivalenceContext = {
    architecture:
      spec.model.kind === 'mlp' ? new MlpArchitecture(dataset.inputDim, spec.model.layers) : null,
    symmetries: spec.analysis.equivalence,
    outputs: buildOutputProbe(spec, dataset),
  };
  const { classes, equivalences } = groupEquivalent(analyzed, equivalenceContext);
  const runs: RunResult[] = outcomes.map((o) => toRunResult(o, equivalences.get(o.id) ?? null));

  // Second stage: paths between twins and the search from random starts, on the pool.
  const pairs = pathPairs(spec.analysis.paths, runs, classes);
  const secondStage: Job[] = [
    ...pairs.map(([from, to], index): Job => ({
      kind: 'path',
      index,
      between: [from.id, to.id],
      from: from.parameters,
      to: to.parameters,
    })),
    ...Array.from({ length: spec.analysis.search.starts }, (_, index): Job => ({
      kind: 'search',
      index,
    })),
  ];
  let searchOutcomes: SearchOutcome[] = [];
  if (secondStage.length > 0) {
    try {
      const results = await runJobs(spec, dataset, parameterCount, secondStage, {
        threads,
        parallel: options.parallel,
        signal: options.signal,
        onJobDone: (outcome) => {
          if (outcome.kind === 'path' || outcome.kind === 'search') {
            emit({ type: 'verdict', id: outcome.id, verdict: outcome.verdict });
          }
        },
      });
      pathOutcomes = results.filter((r): r is PathOutcome => r.kind === 'path');
      searchOutcomes = results.filter((r): r is SearchOutcome => r.kind === 'search');
    } catch (error) {
      if (error instanceof CancelledError) return { status: 'cancelled' };
      throw error;
    }
  }
  const search =
    spec.analysis.search.starts > 0 ? summarizeSearch(searchOutcomes, equivalenceContext) : null;

  const warnings = located
    .filter((p) => p.severity === 'warning')
    .map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`);

  // Third stage: landscape slices, with every run, point and saddle as a marker.
  let slices: Slice[] = [];
  if (spec.analysis.slices.length > 0) {
    emit({ type: 'phase', phase: 'slices' });
    const locatedPoints = new Map<string, Located>();
    outcomes.forEach((o) =>
      locatedPoints.set(o.id, {
        id: o.id,
        parameters: o.parameters,
        loss: o.loss,
        verdict: o.verdict.kind,
        snapshots: o.snapshots,
      }),
    );
    for (const saddle of pathOutcomes) {
      locatedPoints.set(saddle.id, {
        id: saddle.id,
        parameters: Float64Array.from(saddle.parameters),
        loss: saddle.loss,
        verdict: saddle.verdict.kind,
      });
    }
    let model: ModelContext | null = null;
    const plan = planSlices(
      spec.analysis.slices,
      locatedPoints,
      equivalenceContext.architecture,
      () => (model ??= buildModel(spec, dataset)),
      spec.analysis.exactLimit,
    );
    warnings.push(...plan.warnings);
    try {
      const results = await runJobs(spec, dataset, parameterCount, plan.jobs, {
        threads,
        parallel: options.parallel,
        signal: options.signal,
      });
      slices = plan.assemble(results.filter((r): r is GridOutcome => r.kind === 'grid'));
    } catch (error) {
      if (error instanceof CancelledError) return { status: 'cancelled' };
      throw error;
    }
  }

  const result: AnalysisResult = {
    format: 'loss-landscape-result',
    version: 1,
    name: spec.name,
    source: fileName,
    specHash: files.digest(),
    parameterCount: parameterCount,
    parameterNames,
    loss: spec.loss,
    data: {
      samples: dataset.samples,
      inputs: dataset.inputDim,
      targets: dataset.targetDim,
      ...(dataset.standardization ? { standardization: dataset.standardization } : {}),
    },
    runs,
    classes,
    slices,
    criticalPoints: [
      ...pathOutcomes.map(({ kind: _kind, seconds: _seconds, ...point }) => point),
      ...(search?.points ?? []),
    ],
    ...(search ? { search: search.summary } : {}),
    warnings,
    timings: {
      loadSeconds: round(loadSeconds),
      trainingAndVerdictsSeconds: round(jobSeconds),
      totalSeconds: round((performance.now() - started) / 1000),
    },
    engine: { version: ENGINE_VERSION, threads },
  };
  if (options.signal?.aborted) return { status: 'cancelled' };
  const resultPath =
    options.outPath === null ? null : (options.outPath ?? defaultResultPath(options.specPath));
  if (resultPath) {
    emit({ type: 'phase', phase: 'writing' });
    writeFileAtomically(resultPath, JSON.stringify(result, null, 1) + '\n');
  }
  emit({ type: 'done', resultPath, result });
  return { status: 'ok', result, resultPath };
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}

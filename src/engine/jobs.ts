// The unit of parallel work: train one run and analyze its endpoint, or analyze one named
// point. The same function runs in a worker thread or in-process, so results do not
// depend on where it ran.
import { analyzePoint } from '../core/analysis/analyzePoint';
import { refineToCriticalPoint } from '../core/analysis/refine';
import type { Dataset } from '../core/data/dataset';
import { buildModel, type ModelContext } from '../core/model/build';
import { train, type StopReason } from '../core/optim/train';
import { deriveSeed } from '../core/rng';
import type { ResolvedSpec } from '../core/spec/types';
import type { HessianSummary, LossCurve, RunRefinement, Verdict } from '../protocol/result';

export type Job = { kind: 'run'; index: number } | { kind: 'point'; name: string };

export interface JobOutcome {
  id: string;
  kind: 'run' | 'point';
  name?: string;
  seed?: number;
  from?: string;
  parameters: Float64Array;
  loss: number;
  gradientNorm: number;
  curve?: LossCurve;
  refinement?: RunRefinement;
  epochs?: number;
  stopReason?: StopReason;
  hessian: HessianSummary | null;
  verdict: Verdict;
  seconds: number;
}

export interface JobContext {
  spec: ResolvedSpec;
  model: ModelContext;
}

export function createJobContext(spec: ResolvedSpec, dataset: Dataset): JobContext {
  return { spec, model: buildModel(spec, dataset) };
}

/** `onEpoch` returning false stops training early (cancellation). */
export function runJob(
  context: JobContext,
  job: Job,
  onEpoch?: (epoch: number, loss: number) => boolean | void,
): JobOutcome {
  const started = performance.now();
  const { spec, model } = context;
  if (job.kind === 'point') {
    const point = spec.points.find((p) => p.name === job.name);
    if (!point) throw new Error(`no point named ${job.name}`);
    const parameters = Float64Array.from(point.parameters);
    const analysis = analyzePoint(model.objective, parameters, spec.analysis, model);
    return {
      id: `point:${job.name}`,
      kind: 'point',
      name: job.name,
      parameters,
      ...analysis,
      seconds: (performance.now() - started) / 1000,
    };
  }
  const seed = deriveSeed(spec.training.seed, job.index);
  const fromName = spec.training.from[job.index];
  const start =
    fromName !== undefined
      ? Float64Array.from(spec.points.find((p) => p.name === fromName)?.parameters ?? [])
      : undefined;
  const trained = train({
    objective: model.objective,
    architecture: model.architecture,
    training: spec.training,
    seed,
    start,
    onEpoch,
  });
  // Judge the critical point training was heading for, not where it happened to stop.
  const refinement =
    spec.analysis.refine && trained.stopReason !== 'diverged'
      ? refineToCriticalPoint(model.objective, trained.theta, {
          gradientTolerance: spec.analysis.tolerance.gradient * model.lossScale,
        })
      : undefined;
  const parameters = refinement?.theta ?? trained.theta;
  const flatness = refinement?.status === 'gradient-flat' ? refinement.flatness : undefined;
  const analysis = analyzePoint(model.objective, parameters, spec.analysis, model, flatness);
  return {
    id: `run-${job.index}`,
    kind: 'run',
    seed,
    from: fromName,
    parameters,
    refinement: refinement && {
      status: refinement.status,
      iterations: refinement.iterations,
      distance: refinement.distance,
      lossBefore: refinement.lossBefore,
      lossAfter: refinement.lossAfter,
      gradientNormBefore: refinement.gradientNormBefore,
      gradientNormAfter: refinement.gradientNormAfter,
      ...(refinement.status === 'converged' ? {} : { flatness: refinement.flatness }),
    },
    curve: trained.curve,
    epochs: trained.epochs,
    stopReason: trained.stopReason,
    ...analysis,
    seconds: (performance.now() - started) / 1000,
  };
}

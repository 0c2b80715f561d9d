// Runs jobs on worker threads (one per core) or, when the work is too small to pay for
// starting threads, in-process. Outcomes come back in job order either way, and are
// identical: each job is a pure function of the spec, the dataset and its own seed.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Dataset } from '../core/data/dataset';
import type { ResolvedSpec } from '../core/vocabulary';
import { createJobContext, runJob, type Job, type JobOutcome } from './jobs';
import type { FromWorker, ToWorker } from './workerMessages';

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
  }
}

export interface PoolOptions<J extends Job = Job> {
  threads: number;
  /** "auto": threads only when the work pays for them. */
  parallel?: 'auto' | 'always' | 'never';
  signal?: AbortSignal;
  onProgress?: (run: number, epoch: number, loss: number) => void;
  onJobDone?: (outcome: JobOutcome<J>) => void;
}

/** Below this many floating-point operations, starting threads costs more than it saves. */
const IN_PROCESS_WORK_LIMIT = 3e8;
const PROGRESS_INTERVAL_MS = 100;

/** Runs the jobs and gives their outcomes in job order; throws CancelledError on abort. */
export async function runJobs<J extends Job>(
  spec: ResolvedSpec,
  dataset: Dataset,
  parameterCount: number,
  jobs: J[],
  options: PoolOptions<J>,
): Promise<JobOutcome<J>[]> {
  const threads = Math.max(1, Math.min(options.threads, jobs.length));
  if (jobs.length === 0) return [];
  const parallel = options.parallel ?? 'auto';
  const small = estimateWork(spec, dataset, parameterCount, jobs) < IN_PROCESS_WORK_LIMIT;
  // A PyTorch module is one worker process, which uses the cores itself.
  const torch = spec.model.kind === 'pytorch';
  if (torch || parallel === 'never' || (parallel === 'auto' && small))
    return runInProcess(spec, dataset, jobs, options);
  return runOnWorkers(spec, dataset, jobs, threads, options);
}

/** Gradients a path job may compute: 33 images × 30000 steps of the string method. */
const PATH_GRADIENTS = 33 * 30000;

/** Rough flop count: 6·N·P per epoch, N·P² for a dense Hessian, 2·N·P per grid point. */
export function estimateWork(
  spec: ResolvedSpec,
  dataset: Dataset,
  parameterCount: number,
  jobs: Job[],
): number {
  const epochWork = 6 * dataset.samples * parameterCount;
  const hessianWork =
    spec.analysis.hessian === 'off'
      ? 0
      : 6 * dataset.samples * parameterCount * Math.min(parameterCount, spec.analysis.exactLimit);
  const jobWork = (job: Job): number => {
    switch (job.kind) {
      case 'run':
        return spec.training.epochs * epochWork + hessianWork;
      case 'point':
        return hessianWork;
      case 'search':
        return 200 * epochWork + hessianWork;
      case 'path':
        // 33 images evolved for up to 30000 steps, a gradient each per step; then the saddle.
        return PATH_GRADIENTS * epochWork + hessianWork;
      case 'grid':
        // A forward pass per grid point, whatever the Hessian setting; and its dense Hessian
        // when the slice asks for the curvature.
        return (
          job.xs.length *
          job.ys.length *
          (2 * dataset.samples * parameterCount +
            (job.curvature ? 6 * dataset.samples * parameterCount ** 2 : 0))
        );
    }
  };
  return jobs.reduce((sum, job) => sum + jobWork(job), 0);
}

async function runInProcess<J extends Job>(
  spec: ResolvedSpec,
  dataset: Dataset,
  jobs: J[],
  options: PoolOptions<J>,
): Promise<JobOutcome<J>[]> {
  const context = createJobContext(spec, dataset);
  const outcomes: JobOutcome<J>[] = [];
  for (const job of jobs) {
    if (options.signal?.aborted) throw new CancelledError();
    let lastReport = 0;
    const outcome = runJob(context, job, (epoch, loss) => {
      const now = performance.now();
      if (job.kind === 'run' && now - lastReport >= PROGRESS_INTERVAL_MS) {
        lastReport = now;
        options.onProgress?.(job.index, epoch, loss);
      }
      return !options.signal?.aborted;
    });
    if (options.signal?.aborted) throw new CancelledError();
    outcomes.push(outcome);
    options.onJobDone?.(outcome);
    // Let queued I/O (events, signals) through between jobs.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return outcomes;
}

function runOnWorkers<J extends Job>(
  spec: ResolvedSpec,
  dataset: Dataset,
  jobs: J[],
  threads: number,
  options: PoolOptions<J>,
): Promise<JobOutcome<J>[]> {
  return new Promise((resolve, reject) => {
    const outcomes: JobOutcome<J>[] = new Array(jobs.length);
    const workers: Worker[] = [];
    let next = 0;
    let finished = 0;
    let settled = false;
    const stop = (error: Error | null) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      for (const worker of workers) void worker.terminate();
      if (error) reject(error);
      else resolve(outcomes);
    };
    const onAbort = () => stop(new CancelledError());
    if (options.signal?.aborted) return stop(new CancelledError());
    options.signal?.addEventListener('abort', onAbort);

    const feed = (worker: Worker) => {
      if (next >= jobs.length) return;
      const message: ToWorker = { jobIndex: next, job: jobs[next] };
      next++;
      worker.postMessage(message);
    };
    for (let t = 0; t < threads; t++) {
      const worker = startWorker({ spec, dataset });
      workers.push(worker);
      worker.on('message', (message: FromWorker) => {
        if (settled) return;
        switch (message.type) {
          case 'progress':
            options.onProgress?.(message.run, message.epoch, message.loss);
            break;
          case 'done': {
            // The worker ran jobs[message.jobIndex], so the outcome is of its kind.
            const outcome = message.outcome as JobOutcome<J>;
            outcomes[message.jobIndex] = outcome;
            options.onJobDone?.(outcome);
            finished++;
            if (finished === jobs.length) stop(null);
            else feed(worker);
            break;
          }
          case 'error':
            stop(new Error(`job ${message.jobIndex} failed: ${message.message}`));
            break;
        }
      });
      worker.on('error', (error) => stop(error));
      worker.on('exit', (code) => {
        if (!settled) stop(new Error(`a worker thread exited with code ${code}`));
      });
      feed(worker);
    }
  });
}

/** The bundled worker next to this bundle, or, run from sources (tests), the TypeScript one. */
function startWorker(workerData: unknown): Worker {
  const bundled = join(__dirname, 'worker.js');
  if (existsSync(bundled)) return new Worker(bundled, { workerData });
  // Loader hooks do not reach worker threads on Node 20; register tsx's require hook inside.
  const source = JSON.stringify(join(__dirname, 'worker.ts'));
  return new Worker(`require('tsx/cjs'); require(${source});`, { eval: true, workerData });
}

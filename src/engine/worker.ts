// Worker thread: builds the model once from the spec and dataset it is given, then runs
// the jobs the pool sends, reporting progress at most every PROGRESS_INTERVAL_MS.
import { parentPort, workerData } from 'node:worker_threads';
import type { Dataset } from '../core/data/dataset';
import type { ResolvedSpec } from '../core/vocabulary';
import { createJobContext, runJob, type Job } from './jobs';
import type { FromWorker, ToWorker } from './workerMessages';

const PROGRESS_INTERVAL_MS = 100;

if (parentPort) {
  const port = parentPort;
  const { spec, dataset } = workerData as { spec: ResolvedSpec; dataset: Dataset };
  const context = createJobContext(spec, dataset);
  const post = (message: FromWorker) => port.postMessage(message);
  port.on('message', (message: ToWorker) => {
    const job: Job = message.job;
    try {
      let lastReport = 0;
      const outcome = runJob(context, job, (epoch, loss) => {
        const now = performance.now();
        if (now - lastReport >= PROGRESS_INTERVAL_MS && job.kind === 'run') {
          lastReport = now;
          post({ type: 'progress', jobIndex: message.jobIndex, run: job.index, epoch, loss });
        }
      });
      post({ type: 'done', jobIndex: message.jobIndex, outcome });
    } catch (error) {
      post({
        type: 'error',
        jobIndex: message.jobIndex,
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
    }
  });
}

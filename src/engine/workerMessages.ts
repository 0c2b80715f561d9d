// Messages between the pool and its worker threads.
import type { Job, JobOutcome } from './jobs';

export type ToWorker = { jobIndex: number; job: Job };

export type FromWorker =
  | { type: 'progress'; jobIndex: number; run: number; epoch: number; loss: number }
  | { type: 'done'; jobIndex: number; outcome: JobOutcome }
  | { type: 'error'; jobIndex: number; message: string };

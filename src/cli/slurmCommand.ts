// losslab slurm FILE --shards N: the shards of FILE as a Slurm array job and the merge after
// it. Prints both job ids and where the result will be; --dry-run prints the scripts and the
// sbatch commands instead; --wait polls squeue until the merge has ended and says how.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  ARRAY_JOB,
  findCommand,
  MERGE_STATUS_GRACE_MS,
  mergeFailure,
  mergeProgress,
  type MergeProgress,
  planSlurm,
  type SlurmChoices,
  type SlurmPlan,
  submitSlurm,
  type Submitted,
} from '../engine/slurm';

interface SlurmValues extends SlurmChoices {
  shards?: string;
  'dry-run'?: boolean;
  wait?: boolean;
}

/** Values passed to sbatch: one word of letters, digits and : , . _ + / = - */
const SBATCH_VALUE = /^[A-Za-z0-9:,._+/=-]+$/;

export async function slurmCommand(file: string, values: SlurmValues): Promise<number> {
  const shards = Number(values.shards);
  if (!Number.isInteger(shards) || shards < 1 || shards > 10000) {
    process.stderr.write(
      `losslab: slurm needs --shards N, a whole number from 1 to 10000 (got '${values.shards ?? ''}')\n`,
    );
    return 2;
  }
  for (const key of ['partition', 'time', 'mem', 'account'] as const) {
    const value = values[key];
    if (value !== undefined && !SBATCH_VALUE.test(value)) {
      process.stderr.write(`losslab: --${key} '${value}' is not one word sbatch would take\n`);
      return 2;
    }
  }
  if (!existsSync(file)) {
    process.stderr.write(`losslab: cannot read ${file}: it does not exist\n`);
    return 2;
  }
  const plan = planSlurm(file, {
    ...values,
    shards,
    cli: join(__dirname, 'cli.js'),
  });
  if (values['dry-run']) {
    process.stdout.write(dryRun(plan));
    return 0;
  }
  const missing = ['sbatch', 'squeue', 'scancel'].filter((name) => !findCommand(name));
  if (missing.length > 0) {
    process.stderr.write(
      `losslab: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not on PATH: run this on a machine that submits Slurm jobs (a cluster's login node), or use --dry-run to see the scripts\n`,
    );
    return 2;
  }
  let jobs;
  try {
    jobs = submitSlurm(plan);
  } catch (error) {
    process.stderr.write(`losslab: sbatch refused the job: ${(error as Error).message}\n`);
    return 3;
  }
  process.stdout.write(
    [
      `submitted ${plan.shards} shard${plan.shards === 1 ? '' : 's'} of ${plan.specPath}`,
      `  array job ${jobs.arrayJob} (logs ${join(plan.folder, `shard-K-of-${plan.shards}.log`)})`,
      `  merge job ${jobs.mergeJob}, after it (log ${plan.mergeLog})`,
      `  result: ${plan.resultPath}`,
      '',
    ].join('\n'),
  );
  if (!values.wait) return 0;
  const end = await mergeEnd(plan, jobs);
  const failure = mergeFailure(end, plan, jobs);
  if (failure) {
    if (end.state !== 'unseen') process.stderr.write(end.log);
    process.stderr.write(`losslab: ${failure}\n`);
    return end.state === 'finished' ? end.status : 3;
  }
  process.stdout.write(`merged: wrote ${plan.resultPath}\n`);
  return 0;
}

/** How often --wait asks squeue: Slurm tells nobody when a job ends. */
const POLL_MS = 1000;

/** Waits until the merge has finished or stopped, or its status stayed unseen too long. */
async function mergeEnd(
  plan: SlurmPlan,
  jobs: Submitted,
): Promise<Exclude<MergeProgress, { state: 'running' }>> {
  let unseenSince: number | null = null;
  for (;;) {
    let progress: MergeProgress | null = null;
    try {
      progress = mergeProgress(plan, jobs);
    } catch {
      // squeue may fail for a moment (the controller restarting): ask again.
    }
    if (progress?.state === 'finished' || progress?.state === 'stopped') return progress;
    if (progress?.state === 'unseen') {
      unseenSince ??= Date.now();
      if (Date.now() - unseenSince > MERGE_STATUS_GRACE_MS) return progress;
    } else unseenSince = null;
    await new Promise((done) => setTimeout(done, POLL_MS));
  }
}

function dryRun(plan: SlurmPlan): string {
  return [
    `# ${plan.shards} shards of ${plan.specPath}; nothing is submitted.`,
    `# 1. sbatch --parsable ${plan.arrayArgs.join(' ')} ${join(plan.folder, 'shards.sbatch')}`,
    plan.arrayScript,
    `# 2. sbatch --parsable ${plan.mergeArgs.join(' ')} ${join(plan.folder, 'merge.sbatch')}`,
    `#    (${ARRAY_JOB}: the id the first sbatch prints)`,
    plan.mergeScript,
    `# result: ${plan.resultPath}`,
    '',
  ].join('\n');
}

// losslab slurm FILE --shards N: the shards of FILE as a Slurm array job and the merge after
// it. Prints both job ids and where the result will be; --dry-run prints the scripts and the
// sbatch commands instead; --wait polls squeue until the merge has ended and says how.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  ARRAY_JOB,
  findCommand,
  mergeOutcome,
  planSlurm,
  queuedJobs,
  submitSlurm,
  type SlurmPlan,
} from '../engine/slurm';

interface SlurmValues {
  shards?: string;
  partition?: string;
  time?: string;
  mem?: string;
  account?: string;
  folder?: string;
  out?: string;
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
    shards,
    partition: values.partition,
    time: values.time,
    mem: values.mem,
    account: values.account,
    folder: values.folder,
    out: values.out,
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
  while (queuedJobs([jobs.arrayJob, jobs.mergeJob]).length > 0)
    await new Promise((done) => setTimeout(done, 1000));
  // The merge writes its status as its last act; the queue may drop it a moment before.
  for (let k = 0; k < 50 && !mergeOutcome(plan); k++)
    await new Promise((done) => setTimeout(done, 200));
  const outcome = mergeOutcome(plan);
  if (!outcome) {
    process.stderr.write(
      `losslab: the merge job ${jobs.mergeJob} ended without saying how (cancelled?); see ${plan.mergeLog}\n`,
    );
    return 3;
  }
  if (outcome.status !== 0) {
    process.stderr.write(outcome.log);
    process.stderr.write(
      `losslab: the merge failed (exit ${outcome.status}); ${plan.resultPath} is unchanged\n`,
    );
    return outcome.status;
  }
  process.stdout.write(`merged: wrote ${plan.resultPath}\n`);
  return 0;
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

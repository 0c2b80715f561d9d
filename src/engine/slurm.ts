// A file's shards on a Slurm cluster: an sbatch array job of N tasks, one shard each
// (losslab analyze --shard K/N), and a merge job that runs after all of them have ended
// (--dependency=afterany) and writes the result, or says which shard failed and where its
// log is. The scheduler is the cluster's own: this module writes the two scripts, submits
// them with sbatch, and reads the jobs' state with squeue (sacct needs an accounting
// database many clusters lack) and the merge's exit status from the file it leaves.
//
// How the merge ended is its own last word, the status file, written whole (a rename) as
// the script's last act. Before it is there the jobs' states say whether it still may come:
// a job still queued or running, or one that ended completed or failed (its file is on its
// way through a shared filesystem); a merge cancelled or out of time never writes it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { ExecFileSyncOptions } from 'node:child_process';
import { basename, delimiter, isAbsolute, join, resolve } from 'node:path';
import { defaultResultPath } from './files';
import { defaultShardFolder, logOfPart } from './shards';

/** What a user chooses of a split, as the CLI's options and the editor's settings give it. */
export interface SlurmChoices {
  /** Passed to sbatch as they are. */
  partition?: string;
  time?: string;
  mem?: string;
  account?: string;
  /** Where the scripts, parts and logs go (default: FILE.shards/ beside the file). */
  folder?: string;
  /** The result (default: FILE.result.json). */
  out?: string;
}

export interface SlurmOptions extends SlurmChoices {
  shards: number;
  /** How to run losslab on the nodes: this Node and this CLI, by default. */
  node?: string;
  cli: string;
}

export interface SlurmPlan {
  specPath: string;
  folder: string;
  shards: number;
  /** sbatch's arguments and the script, for the array job and for the merge. */
  arrayArgs: string[];
  arrayScript: string;
  /** The merge's arguments name the array job as ARRAY_JOB until it is submitted. */
  mergeArgs: string[];
  mergeScript: string;
  partPaths: string[];
  logPaths: string[];
  mergeLog: string;
  /** The merge's exit status, written when it ends. */
  mergeStatus: string;
  resultPath: string;
}

/** The placeholder of the array job's id in a planned merge's arguments. */
export const ARRAY_JOB = '${ARRAY_JOB}';

/** The scripts and paths of a split, written nowhere yet. */
export function planSlurm(specPathGiven: string, options: SlurmOptions): SlurmPlan {
  const specPath = resolve(specPathGiven);
  const folder = resolve(options.folder ?? defaultShardFolder(specPath));
  const n = options.shards;
  const name = basename(specPath).replace(/(\.loss)?\.json$/i, '');
  const partOf = (k: number | string) => join(folder, `shard-${k}-of-${n}.part.json`);
  const partPaths = Array.from({ length: n }, (_, k) => partOf(k));
  const resultPath = resolve(options.out ?? defaultResultPath(specPath));
  const mergeLog = join(folder, 'merge.log');
  const mergeStatus = join(folder, 'merge.status');
  const node = quote(options.node ?? process.execPath);
  const cli = quote(resolve(options.cli));
  // Options go to sbatch as arguments, not #SBATCH lines: a path with a space stays one word.
  const passed = [
    ...(options.partition ? [`--partition=${options.partition}`] : []),
    ...(options.time ? [`--time=${options.time}`] : []),
    ...(options.mem ? [`--mem=${options.mem}`] : []),
    ...(options.account ? [`--account=${options.account}`] : []),
  ];
  const arrayArgs = [
    `--job-name=losslab-${name}`,
    `--array=0-${n - 1}`,
    `--output=${join(folder, `shard-%a-of-${n}.log`)}`,
    ...passed,
  ];
  // afterany, not afterok: the merge runs after a failed shard too, and says which failed.
  const mergeArgs = [
    `--job-name=losslab-${name}-merge`,
    `--dependency=afterany:${ARRAY_JOB}`,
    `--output=${mergeLog}`,
    ...passed,
  ];
  const arrayScript = [
    '#!/bin/bash',
    `# Shard K of ${n} of ${specPath}: its runs, points and search starts (losslab analyze --shard).`,
    'set -euo pipefail',
    `exec ${node} ${cli} analyze ${quote(specPath)} --shard "$SLURM_ARRAY_TASK_ID/${n}" \\`,
    `  --out ${quote(join(folder, 'shard-'))}"$SLURM_ARRAY_TASK_ID"${quote(`-of-${n}.part.json`)} \\`,
    '  --threads "${SLURM_CPUS_PER_TASK:-1}" --quiet',
    '',
  ].join('\n');
  const mergeScript = [
    '#!/bin/bash',
    `# Merges the ${n} parts into ${resultPath}; a missing part names its shard and its log.`,
    `${node} ${cli} merge ${quote(specPath)} ${partPaths.map(quote).join(' ')} --out ${quote(resultPath)} --quiet`,
    'status=$?',
    // Whole or not at all: a reader never sees the file created and still empty.
    `echo "$status" > ${quote(`${mergeStatus}.partial`)}`,
    `mv -f ${quote(`${mergeStatus}.partial`)} ${quote(mergeStatus)}`,
    'exit "$status"',
    '',
  ].join('\n');
  return {
    specPath,
    folder,
    shards: n,
    arrayArgs,
    arrayScript,
    mergeArgs,
    mergeScript,
    partPaths,
    logPaths: partPaths.map(logOfPart),
    mergeLog,
    mergeStatus,
    resultPath,
  };
}

/** The first `name` on PATH (sbatch, squeue, …), or null. */
export function findCommand(name: string, path = process.env.PATH ?? ''): string | null {
  for (const dir of path.split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue;
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

export interface Submitted {
  arrayJob: string;
  mergeJob: string;
}

/**
 * Writes the scripts and submits them: the array job, then the merge after it. Parts and
 * logs of an earlier split are removed first, so that the merge sees this split's only.
 */
export function submitSlurm(plan: SlurmPlan): Submitted {
  mkdirSync(plan.folder, { recursive: true });
  for (const name of readdirSync(plan.folder))
    if (
      /^shard-\d+-of-\d+\.(part\.json|log)$/.test(name) ||
      /^merge\.(log|status|status\.partial)$/.test(name)
    )
      rmSync(join(plan.folder, name), { force: true });
  const arrayPath = join(plan.folder, 'shards.sbatch');
  writeFileSync(arrayPath, plan.arrayScript, { mode: 0o755 });
  const arrayJob = sbatch(plan.arrayArgs, arrayPath);
  const mergePath = join(plan.folder, 'merge.sbatch');
  writeFileSync(mergePath, plan.mergeScript, { mode: 0o755 });
  let mergeJob: string;
  try {
    mergeJob = sbatch(
      plan.mergeArgs.map((arg) => arg.replace(ARRAY_JOB, arrayJob)),
      mergePath,
    );
  } catch (error) {
    cancelJobs([arrayJob]);
    throw error;
  }
  return { arrayJob, mergeJob };
}

function sbatch(args: string[], script: string): string {
  const out = execFileSync('sbatch', ['--parsable', ...args, script], { encoding: 'utf8' }).trim();
  // --parsable prints "JOBID" or "JOBID;CLUSTER".
  const id = out.split(';')[0];
  if (!/^\d+$/.test(id)) throw new Error(`sbatch printed '${out}', not a job id`);
  return id;
}

/** Slurm's states of a job that will not run again (squeue --states=all shows them). */
const ENDED_STATES = new Set([
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'TIMEOUT',
  'NODE_FAIL',
  'PREEMPTED',
  'BOOT_FAIL',
  'DEADLINE',
  'OUT_OF_MEMORY',
  'REVOKED',
]);

/**
 * Every job and task Slurm still knows of, running or ended: an ended one stays listed for
 * the controller's MinJobAge (300 s by default). Jobs it has forgotten are left out.
 */
export function knownJobs(jobs: string[]): { id: string; state: string }[] {
  try {
    return listJobs(['--states=all', '-j', jobs.join(',')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    // squeue refuses a list whose every id it has forgotten; any other failure is passed on.
    if (/Invalid job id/i.test(String((error as { stderr?: unknown }).stderr ?? ''))) return [];
    throw error;
  }
}

function listJobs(args: string[], options: ExecFileSyncOptions): { id: string; state: string }[] {
  const out = String(execFileSync('squeue', ['-h', ...args, '-o', '%i %T'], options));
  return out
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [id, state] = line.split(/\s+/);
      return { id, state };
    });
}

export function cancelJobs(jobs: string[]): void {
  execFileSync('scancel', jobs, { encoding: 'utf8' });
}

/** How the merge ended, once its status file is there: its exit status and its log. */
export function mergeOutcome(plan: SlurmPlan): { status: number; log: string } | null {
  if (!existsSync(plan.mergeStatus)) return null;
  const text = readFileSync(plan.mergeStatus, 'utf8');
  // Scripts written before the status was renamed into place could leave it empty a moment.
  if (!/^\d+\s*$/.test(text)) return null;
  return { status: Number(text.trim()), log: mergeLog(plan) };
}

function mergeLog(plan: SlurmPlan): string {
  return existsSync(plan.mergeLog) ? readFileSync(plan.mergeLog, 'utf8') : '';
}

/**
 * How long a merge that ended completed or failed may take to show its status file here:
 * NFS caches that a file does not exist for up to acdirmax, 60 s by default.
 */
export const MERGE_STATUS_GRACE_MS = 90_000;

export type MergeProgress =
  /** The shards or the merge are still queued or running: their states. */
  | { state: 'running'; jobs: { id: string; state: string }[] }
  /** The merge finished: its exit status (0: the result is written) and its log. */
  | { state: 'finished'; status: number; log: string }
  /** The merge job ended before its last line (CANCELLED, TIMEOUT, …): no status will come. */
  | { state: 'stopped'; how: string; log: string }
  /** Out of the queue, its status not seen here (yet): wait MERGE_STATUS_GRACE_MS for it. */
  | { state: 'unseen' };

/**
 * Why a merge that ended did not give a result, in words, or null when it gave one (or has
 * not ended). The CLI and the editor say it alike.
 */
export function mergeFailure(
  progress: MergeProgress,
  plan: SlurmPlan,
  jobs: Submitted,
): string | null {
  switch (progress.state) {
    case 'running':
      return null;
    case 'unseen':
      return `the merge job ${jobs.mergeJob} left the queue, and its status did not appear in ${MERGE_STATUS_GRACE_MS / 1000} s; see ${plan.mergeLog}`;
    case 'stopped':
      return `the merge job ${jobs.mergeJob} ended ${progress.how} before it finished; ${plan.resultPath} is unchanged (log: ${plan.mergeLog})`;
    case 'finished': {
      if (progress.status === 0) return null;
      // The merge says what went wrong on a line of its own ("losslab: shard 2 of 4 …").
      const said = progress.log
        .split('\n')
        .find((line) => line.startsWith('losslab: '))
        ?.replace(/^losslab: /, '');
      return `the merge failed (exit ${progress.status})${said ? `: ${said}` : ''}; ${plan.resultPath} is unchanged (log: ${plan.mergeLog})`;
    }
  }
}

/** Where the merge of these jobs stands; throws when squeue cannot be asked. */
export function mergeProgress(plan: SlurmPlan, jobs: Submitted): MergeProgress {
  const known = knownJobs([jobs.arrayJob, jobs.mergeJob]);
  const outcome = mergeOutcome(plan);
  if (outcome) return { state: 'finished', ...outcome };
  const running = known.filter((job) => !ENDED_STATES.has(job.state));
  if (running.length > 0) return { state: 'running', jobs: running };
  const merge = known.find((job) => job.id === jobs.mergeJob);
  if (merge && merge.state !== 'COMPLETED' && merge.state !== 'FAILED')
    return { state: 'stopped', how: merge.state, log: mergeLog(plan) };
  return { state: 'unseen' };
}

/** A path as one word of bash: in single quotes, its own single quotes escaped. */
function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

#!/usr/bin/env node
// losslab — the engine for terminals and scripts:
//   losslab analyze FILE.loss.json [--out RESULT.json] [--quiet] [--threads N] [--shard K/N]
//   losslab merge FILE.loss.json PART… [--out RESULT.json]
//   losslab slurm FILE.loss.json --shards N [sbatch options] [--dry-run] [--wait]
//   losslab export RESULT.json RUN --safetensors OUT.safetensors
// Exit status: 0 success, 1 invalid file, 2 usage error, 3 engine failure, 130 interrupted.
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeFile, SpecNotFoundError } from '../engine/analyze';
import { analyzeShard, MergeError, mergeParts } from '../engine/distributed';
import { parseShard } from '../engine/shards';
import { slurmCommand } from './slurmCommand';
import { ENGINE_VERSION } from '../engine/version';
import { formatProblem } from '../protocol/problems';
import { lossText } from '../protocol/result';
import { plural, stageTimes } from '../protocol/wording';
import { exportRun } from '../engine/exportRun';
import { exitWhenWritten } from '../engine/exitWhenWritten';
import { createProgressReporter } from './progress';
import {
  automaticSliceSummary,
  curvatureSlicesSummary,
  smoothingSlicesSummary,
  classSummary,
  notCriticalSummary,
  pathSummary,
  searchSummary,
  spectrumDoubtsSummary,
  summaryTable,
} from './report';

const USAGE = `usage: losslab analyze FILE.loss.json [--out RESULT.json] [--quiet] [--threads N] [--python PY]
       losslab analyze FILE.loss.json --shard K/N [--out PART.json]
       losslab merge FILE.loss.json PART.json… [--out RESULT.json]
       losslab slurm FILE.loss.json --shards N [--partition P] [--time T] [--mem M]
                     [--account A] [--folder DIR] [--dry-run] [--wait]
       losslab export RESULT.json RUN --safetensors OUT.safetensors

analyze: trains the runs of FILE, classifies every run and named point (minimum,
saddle, …) and writes the result next to it (FILE.result.json) or to --out.
With --shard K/N, only the runs, points and search starts i with i mod N = K, written
as a part for merge.
merge: checks that the parts are one split of FILE and all there, then does what needs
every run (classes, paths between twins, slices): the result one machine would write.
slurm: submits the shards of FILE as a Slurm array job and the merge as a job that
runs after it, and prints both job ids and where the result will be (--wait: until then).
export: writes a run's or point's parameters (RUN: run-0, point:NAME, …) as a PyTorch
nn.Sequential state_dict in safetensors, for model.load_state_dict(load_file(OUT)).

options:
  --out PATH     where to write the result (or the part)
  --quiet        print nothing but problems
  --threads N    worker threads (default: one per core)
  --python PY    the Python with PyTorch that runs a file's PyTorch model
                 (default: python3 on the PATH)
  --help         show this help
  --version      show the version`;

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        quiet: { type: 'boolean', default: false },
        threads: { type: 'string' },
        python: { type: 'string' },
        safetensors: { type: 'string' },
        shard: { type: 'string' },
        shards: { type: 'string' },
        partition: { type: 'string' },
        time: { type: 'string' },
        mem: { type: 'string' },
        account: { type: 'string' },
        folder: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        wait: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
        version: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    process.stderr.write(`losslab: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`${ENGINE_VERSION}\n`);
    return 0;
  }
  const [command, file, ...extra] = positionals;
  if (command === 'export') {
    if (!file || extra.length !== 1 || !values.safetensors) {
      process.stderr.write(
        `losslab: expected: export RESULT.json RUN --safetensors OUT.safetensors\n${USAGE}\n`,
      );
      return 2;
    }
    const exported = exportRun(file, extra[0], values.safetensors);
    (exported.status === 0 ? process.stdout : process.stderr).write(
      `${exported.status === 0 ? '' : 'losslab: '}${exported.message}\n`,
    );
    return exported.status;
  }
  if (command === 'slurm') {
    if (!file || extra.length > 0) {
      process.stderr.write(`losslab: expected: slurm FILE --shards N\n${USAGE}\n`);
      return 2;
    }
    return slurmCommand(file, values);
  }
  const known = command === 'analyze' || command === 'merge';
  if (
    !known ||
    !file ||
    (command === 'analyze' && extra.length > 0) ||
    (command === 'merge' && extra.length === 0)
  ) {
    process.stderr.write(
      `losslab: ${command && !known ? `unknown command '${command}'` : command === 'merge' ? 'expected: merge FILE PART…' : 'expected: analyze FILE'}\n${USAGE}\n`,
    );
    return 2;
  }
  const shard = values.shard === undefined ? null : parseShard(values.shard);
  if (values.shard !== undefined && (!shard || command !== 'analyze')) {
    process.stderr.write(
      `losslab: --shard is K/N with 0 ≤ K < N (analyze only), got '${values.shard}'\n`,
    );
    return 2;
  }
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1)) {
    process.stderr.write(
      `losslab: --threads must be a positive whole number, got '${values.threads}'\n`,
    );
    return 2;
  }

  const controller = new AbortController();
  let interrupts = 0;
  const onInterrupt = () => {
    interrupts++;
    if (interrupts > 1) process.exit(130); // a second Ctrl-C: leave at once (nothing is half-written)
    controller.abort();
  };
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onInterrupt);
  const progress = createProgressReporter({
    quiet: values.quiet,
    interactive: Boolean(process.stderr.isTTY),
  });
  try {
    const options = {
      specPath: file,
      outPath: values.out,
      threads,
      python: { setting: values.python },
      signal: controller.signal,
      onEvent: progress.onEvent,
    };
    const outcome =
      command === 'merge'
        ? await mergeParts(options, extra)
        : shard
          ? await analyzeShard(options, shard)
          : await analyzeFile(options);
    progress.stop();
    switch (outcome.status) {
      case 'invalid':
        // Problems name files relative to the spec; print them as the user wrote the path.
        for (const problem of outcome.problems) {
          const where =
            problem.file === undefined || problem.file === basename(file)
              ? file
              : join(dirname(file), problem.file);
          process.stderr.write(`${formatProblem({ ...problem, file: where }, file)}\n`);
          // The traceback of the user's Python, indented under its problem.
          if (problem.detail)
            process.stderr.write(`${problem.detail.trimEnd().replace(/^/gm, '    ')}\n`);
        }
        process.stderr.write(`losslab: ${file} is not valid; nothing was run\n`);
        return 1;
      case 'cancelled':
        process.stderr.write(
          'losslab: interrupted; no result was written (an earlier result file is unchanged)\n',
        );
        return 130;
      case 'ok': {
        if ('part' in outcome) {
          const { part, partPath } = outcome;
          if (!values.quiet)
            process.stdout.write(
              `shard ${part.shard.index} of ${part.shard.count}: ${plural(part.points.length, 'run and point', 'runs and points')}, ${plural(part.starts.length, 'search start')} in ${part.seconds.toFixed(2)} s; wrote ${partPath}\n`,
            );
          return 0;
        }
        const { result, resultPath } = outcome;
        if (!values.quiet) {
          process.stdout.write(
            `\n${result.name}: ${plural(result.parameterCount, 'parameter')}, ${plural(result.data.samples, 'sample')}, loss ${lossText(result)}\n\n`,
          );
          process.stdout.write(`${summaryTable(result)}\n\n`);
          process.stdout.write(`${classSummary(result)}\n`);
          const paths = pathSummary(result);
          if (paths) process.stdout.write(`${paths}\n`);
          const search = searchSummary(result);
          if (search) process.stdout.write(`${search}\n`);
          for (const part of [
            notCriticalSummary(result),
            spectrumDoubtsSummary(result),
            automaticSliceSummary(result),
            curvatureSlicesSummary(result),
            smoothingSlicesSummary(result),
          ])
            if (part) process.stdout.write(`${part}\n`);
          for (const warning of result.warnings) process.stdout.write(`note: ${warning}\n`);
          process.stdout.write(
            `time: ${stageTimes(result.timings)} (added up over ${plural(result.engine.threads, 'thread')})\n`,
          );
          process.stdout.write(
            `wrote ${resultPath} in ${result.timings.totalSeconds.toFixed(2)} s\n`,
          );
        }
        return 0;
      }
    }
  } catch (error) {
    progress.stop();
    if (error instanceof MergeError) {
      for (const problem of error.problems) process.stderr.write(`losslab: ${problem}\n`);
      process.stderr.write('losslab: nothing was merged; an earlier result file is unchanged\n');
      return 1;
    }
    if (error instanceof SpecNotFoundError) {
      process.stderr.write(`losslab: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(
      `losslab: the engine failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 3;
  } finally {
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
  }
}

if (require.main === module) {
  // Exits rather than waits for the event loop to empty (a worker thread or a timer of a
  // library may keep it going), but only once the output has reached its reader.
  main(process.argv.slice(2)).then(
    (code) => exitWhenWritten(code),
    (error) => {
      process.stderr.write(`losslab: ${String(error)}\n`);
      return exitWhenWritten(3);
    },
  );
}

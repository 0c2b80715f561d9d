// Progress on the terminal: a bar (cli-progress) when stderr is a terminal, plain lines
// when it is not (CI logs, pipes), nothing with --quiet.
import { SingleBar } from 'cli-progress';
import type { EngineEvent } from '../protocol/events';
import { formatNumber } from '../protocol/wording';
import { plural } from '../protocol/wording';
import { parseId } from '../protocol/ids';

export interface ProgressReporter {
  onEvent(event: EngineEvent): void;
  stop(): void;
}

export function createProgressReporter(options: {
  quiet: boolean;
  interactive: boolean;
}): ProgressReporter {
  if (options.quiet) return { onEvent: () => undefined, stop: () => undefined };
  return options.interactive ? barReporter() : lineReporter();
}

function barReporter(): ProgressReporter {
  const bar = new SingleBar({
    format: ' {phase} |{bar}| {percentage}% | {runsDone}/{runs} runs | ETA {eta_formatted}',
    stream: process.stderr,
    hideCursor: true,
    clearOnComplete: true,
    barCompleteChar: '█',
    barIncompleteChar: '░',
  });
  const epochsByRun = new Map<number, number>();
  let epochs = 0;
  let runsDone = 0;
  let runs = 0;
  let started = false;
  const done = () => [...epochsByRun.values()].reduce((a, b) => a + b, 0);
  return {
    onEvent(event) {
      switch (event.type) {
        case 'start':
          runs = event.shard?.runs ?? event.runs;
          epochs = Math.max(1, event.epochs);
          bar.start(Math.max(1, runs * epochs + (event.shard?.points ?? event.points)), 0, {
            phase: 'training',
            runsDone: 0,
            runs,
          });
          started = true;
          break;
        case 'progress':
          epochsByRun.set(event.run, event.epoch);
          bar.update(done(), { runsDone });
          break;
        case 'run-finished':
          runsDone++;
          epochsByRun.set(event.run, epochs); // early stops count as complete
          bar.update(done(), { runsDone });
          break;
        case 'verdict':
          if (parseId(event.id)?.kind === 'point') bar.increment(1, { runsDone });
          break;
        case 'phase':
          if (started) bar.update({ phase: event.phase });
          break;
        case 'invalid':
        case 'done':
        case 'failed':
          // Reported by the caller once the engine returns.
          break;
      }
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}

function lineReporter(): ProgressReporter {
  const write = (line: string) => process.stderr.write(`${line}\n`);
  let runs = 0;
  return {
    onEvent(event) {
      switch (event.type) {
        case 'start':
          runs = event.runs;
          write(
            event.shard
              ? `shard ${event.shard.index} of ${event.shard.count}: training ${event.shard.runs} of ${plural(event.runs, 'run')} (${plural(event.parameterCount, 'parameter')}) and analyzing ${event.shard.points} of ${plural(event.points, 'point')} on ${plural(event.threads, 'thread')}`
              : `training ${plural(event.runs, 'run')} (${plural(event.parameterCount, 'parameter')}) and analyzing ${plural(event.points, 'point')} on ${plural(event.threads, 'thread')}`,
          );
          break;
        case 'run-finished':
          write(
            `run ${event.run + 1}/${runs}: ${plural(event.epochs, 'epoch')}, loss ${formatNumber(event.loss)} (stopped: ${event.stopReason})`,
          );
          break;
        case 'verdict':
          write(
            `${event.id}: ${event.verdict.kind}${event.verdict.index !== null && event.verdict.kind === 'saddle' ? ` (index ${event.verdict.index})` : ''}`,
          );
          break;
        case 'progress':
        case 'phase':
          // Too frequent for lines; the bar shows them on a terminal.
          break;
        case 'invalid':
        case 'done':
        case 'failed':
          // Reported by the caller once the engine returns.
          break;
      }
    },
    stop: () => undefined,
  };
}

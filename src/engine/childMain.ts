// Entry of the engine child process (forked by the extension): receives an `analyze`
// command over IPC, runs the pipeline, and forwards every event to the parent. A crash
// here ends this process only; the parent sees a `failed` event or a non-zero exit.
import type { EngineCommand, EngineEvent } from '../protocol/events';
import { analyzeFile } from './analyze';
import { exitWhenWritten } from './exitWhenWritten';

const controller = new AbortController();
/**
 * Every event sent so far, in order: the process exits only after all are written to the
 * channel. Written is not read: the parent settles a run on the channel's end, not the exit.
 */
let delivered: Promise<void> = Promise.resolve();

function send(event: EngineEvent): Promise<void> {
  delivered = delivered.then(
    () =>
      new Promise<void>((resolve) => {
        if (!process.send || !process.connected) return resolve();
        process.send(event, undefined, undefined, () => resolve());
      }),
  );
  return delivered;
}

async function handle(command: EngineCommand): Promise<void> {
  if (command.type === 'cancel') {
    controller.abort();
    return;
  }
  let exitCode: number;
  try {
    const outcome = await analyzeFile({
      specPath: command.specPath,
      outPath: command.outPath,
      threads: command.threads,
      exactLimit: command.exactLimit,
      python: command.python,
      signal: controller.signal,
      onEvent: (event) => void send(event),
    });
    exitCode = outcome.status === 'ok' ? 0 : outcome.status === 'invalid' ? 1 : 130;
  } catch (error) {
    await send({
      type: 'failed',
      message: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
    exitCode = 3;
  }
  await delivered;
  // Its stderr (a crash's stack) is read by the parent through a pipe as well.
  await exitWhenWritten(exitCode);
}

process.on('message', (message: EngineCommand) => void handle(message));
process.on('disconnect', () => controller.abort());
process.on('uncaughtException', (error) => {
  void send({ type: 'failed', message: error.stack ?? error.message }).finally(() =>
    exitWhenWritten(3),
  );
});

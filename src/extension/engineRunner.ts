// Runs the engine in a child process for the extension: fork with the host's own Node
// (process.execPath — Electron's in desktop VS Code, with ELECTRON_RUN_AS_NODE), stream its
// events, cancel it, and turn a crash into an outcome instead of an exception. Plain Node,
// no `vscode` import, so it is tested without an editor.
import { fork, type ChildProcess } from 'node:child_process';
import type { Problem } from '../protocol/problems';
import {
  isEngineEvent,
  type EngineCommand,
  type EngineEvent,
  type AnalysisSummary,
} from '../protocol/events';

export type RunOutcome =
  | { status: 'ok'; summary: AnalysisSummary; resultPath: string | null }
  | { status: 'invalid'; problems: Problem[] }
  | { status: 'cancelled' }
  | {
      status: 'failed';
      message: string;
      exitCode: number | null;
      signal: NodeJS.Signals | null;
      stderr: string;
    };

export interface RunHandle {
  specPath: string;
  cancel(): void;
  readonly done: Promise<RunOutcome>;
}

export interface RunOptions {
  outPath: string;
  threads?: number;
  exactLimit?: number;
  onEvent?: (event: EngineEvent) => void;
}

/** How long a cancelled engine may take to stop before it is killed. */
const CANCEL_GRACE_MS = 3000;
/** The tail of the engine's stderr kept for the log. */
const STDERR_LIMIT = 64 * 1024;

export class EngineRunner {
  private readonly active = new Map<string, RunHandle>();

  constructor(
    private readonly enginePath: string,
    private readonly execPath: string = process.execPath,
  ) {}

  /** The run of this spec file in progress, if any: never two engines writing one result. */
  running(specPath: string): RunHandle | undefined {
    return this.active.get(specPath);
  }

  /** Whether any analysis is in progress. */
  get busy(): boolean {
    return this.active.size > 0;
  }

  start(specPath: string, options: RunOptions): RunHandle {
    if (this.active.has(specPath)) throw new Error(`an analysis of ${specPath} is already running`);
    const child = fork(this.enginePath, [], {
      execPath: this.execPath,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-STDERR_LIMIT);
    });
    let cancelled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const done = new Promise<RunOutcome>((resolve) => {
      let final: RunOutcome | null = null;
      child.on('message', (message) => {
        if (!isEngineEvent(message)) return;
        options.onEvent?.(message);
        if (message.type === 'done')
          final = { status: 'ok', summary: message.summary, resultPath: message.resultPath };
        else if (message.type === 'invalid')
          final = { status: 'invalid', problems: message.problems };
        else if (message.type === 'failed') final = failed(message.message, null, null, stderr);
      });
      const finish = (code: number | null, signal: NodeJS.Signals | null) => {
        clearTimeout(killTimer);
        this.active.delete(specPath);
        if (cancelled) resolve({ status: 'cancelled' });
        else if (final && final.status !== 'failed') resolve(final);
        else if (final) resolve({ ...final, exitCode: code, signal, stderr });
        else resolve(failed(describeExit(code, signal), code, signal, stderr));
      };
      child.on('exit', finish);
      child.on('error', (error) =>
        resolve(failed(`the engine could not be started: ${error.message}`, null, null, stderr)),
      );
    });
    const send = (command: EngineCommand) => {
      if (child.connected) child.send(command);
    };
    const handle: RunHandle = {
      specPath,
      done,
      cancel: () => {
        if (cancelled) return;
        cancelled = true;
        send({ type: 'cancel' });
        killTimer = setTimeout(() => kill(child), CANCEL_GRACE_MS);
      },
    };
    this.active.set(specPath, handle);
    send({
      type: 'analyze',
      specPath,
      outPath: options.outPath,
      threads: options.threads,
      exactLimit: options.exactLimit,
    });
    return handle;
  }
}

function failed(
  message: string,
  exitCode: number | null,
  signal: NodeJS.Signals | null,
  stderr: string,
): RunOutcome {
  return { status: 'failed', message, exitCode, signal, stderr };
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal === 'SIGKILL')
    return 'the engine was killed (SIGKILL), possibly because the system ran out of memory';
  if (signal) return `the engine stopped on signal ${signal}`;
  if (code === 134) return 'the engine ran out of memory';
  return `the engine exited with code ${code} without a result`;
}

function kill(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

// Runs the engine in a child process for the extension: fork with the host's own Node
// (process.execPath — Electron's in desktop VS Code, with ELECTRON_RUN_AS_NODE), stream its
// events, cancel it, and turn a crash into an outcome instead of an exception. Plain Node,
// no `vscode` import, so it is tested without an editor.
//
// A run is settled on the child's 'close', not its 'exit'. libuv reaps every exited child
// whenever any child's SIGCHLD arrives, after the other I/O of that loop turn: in an editor
// whose extension host starts other processes (git, language servers), the engine's exit
// can be seen one turn before the last bytes it wrote to the IPC channel — its `done` — are
// read. 'close' comes after the channel's end of file, so after every message it sent.
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
  /** Where a PyTorch model's Python comes from (interpreter.ts tries them in order). */
  python?: { setting?: string | null; activeEnvironment?: string | null };
  onEvent?: (event: EngineEvent) => void;
}

export interface RunnerTimeouts {
  /** How long a cancelled engine may take to stop before it is killed. */
  cancelGraceMs: number;
  /**
   * How long after the engine's exit its output (stderr, IPC) may stay open before the run is
   * settled without it: a process the engine started and that outlived it can hold them.
   */
  closeGraceMs: number;
}

const DEFAULT_TIMEOUTS: RunnerTimeouts = { cancelGraceMs: 3000, closeGraceMs: 10000 };
/** The tail of the engine's stderr kept for the log. */
const STDERR_LIMIT = 64 * 1024;

export class EngineRunner {
  private readonly active = new Map<string, RunHandle>();

  private readonly timeouts: RunnerTimeouts;

  constructor(
    private readonly enginePath: string,
    private readonly execPath: string = process.execPath,
    timeouts: Partial<RunnerTimeouts> = {},
  ) {
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...timeouts };
  }

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
    let closeTimer: NodeJS.Timeout | undefined;
    const done = new Promise<RunOutcome>((resolve) => {
      let final: RunOutcome | null = null;
      let settled = false;
      const settle = (outcome: RunOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(killTimer);
        clearTimeout(closeTimer);
        this.active.delete(specPath);
        resolve(outcome);
      };
      /**
       * The outcome once the engine has ended: its last word, else how it ended. A result it
       * wrote is reported even when a cancel crossed it: the previous result is gone.
       */
      const ended = (code: number | null, signal: NodeJS.Signals | null, note = '') => {
        if (final?.status === 'ok') return final;
        if (cancelled) return { status: 'cancelled' } as const;
        if (final && final.status !== 'failed') return final;
        if (final) return { ...final, exitCode: code, signal, stderr };
        return failed(describeExit(code, signal) + note, code, signal, stderr);
      };
      child.on('message', (message) => {
        if (!isEngineEvent(message)) return;
        options.onEvent?.(message);
        if (message.type === 'done')
          final = { status: 'ok', summary: message.summary, resultPath: message.resultPath };
        else if (message.type === 'invalid')
          final = { status: 'invalid', problems: message.problems };
        else if (message.type === 'failed') final = failed(message.message, null, null, stderr);
      });
      child.on('exit', (code, signal) => {
        closeTimer = setTimeout(
          () =>
            settle(
              ended(
                code,
                signal,
                `; its output stayed open ${this.timeouts.closeGraceMs / 1000} s after it exited (a process it started may still hold it)`,
              ),
            ),
          this.timeouts.closeGraceMs,
        );
      });
      child.on('close', (code, signal) => settle(ended(code, signal)));
      child.on('error', (error) => {
        // Only a child that never started ends here; a failed send is answered by 'close'.
        if (child.pid === undefined)
          settle(failed(`the engine could not be started: ${error.message}`, null, null, stderr));
      });
    });
    const send = (command: EngineCommand) => {
      // With a callback, a write to an engine that is just ending is not an 'error' event:
      // its end (and its last word) arrive through 'close' as for any other end.
      if (child.connected) child.send(command, () => undefined);
    };
    const handle: RunHandle = {
      specPath,
      done,
      cancel: () => {
        if (cancelled) return;
        cancelled = true;
        send({ type: 'cancel' });
        killTimer = setTimeout(() => kill(child), this.timeouts.cancelGraceMs);
      },
    };
    this.active.set(specPath, handle);
    send({
      type: 'analyze',
      specPath,
      outPath: options.outPath,
      threads: options.threads,
      exactLimit: options.exactLimit,
      python: options.python,
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

// Controlled moments in other processes' lives, for tests of what a parent sees when a child
// ends: block this process (its event loop included) until a child has exited, and keep
// short-lived children exiting in the background as an editor's extension host does.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** Whether this system shows processes' states in /proc (Linux). */
export const canWatchProcesses = existsSync('/proc/self/stat');

/**
 * Blocks, without returning to the event loop, until the child `pid` has exited and can be
 * reaped: a zombie that nothing has reaped yet (this process, its parent, does not while it
 * is blocked). The main thread of a process with threads (Node has several) is a zombie
 * before the others have ended, and waitpid reaps the process only after them: so the test
 * is the zombie state and a thread list down to that one.
 */
export function blockUntilExited(pid: number, timeoutMs = 20000): void {
  const tick = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + timeoutMs;
  while (!reapable(pid)) {
    if (Date.now() > deadline) throw new Error(`process ${pid} did not exit in ${timeoutMs} ms`);
    Atomics.wait(tick, 0, 0, 1);
  }
}

function reapable(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) S …": comm may hold spaces and parentheses; the fields follow the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const [state, threads] = [fields[0], Number(fields[17])];
    return state === 'Z' && threads <= 1 && readdirSync(`/proc/${pid}/task`).length <= 1;
  } catch {
    return false; // gone: reaped by someone else, which a caller waiting for it never expects
  }
}

/**
 * Starts a child that prints one byte and exits, and blocks until it has exited. When this
 * process returns to its event loop, the child's output and its SIGCHLD are ready in the
 * same turn: `onOutput` runs first (libuv runs signal watchers last), then every exited
 * child is reaped. Whatever another child does inside `onOutput` is seen in that order.
 */
export function childExitingAfter(onOutput: () => void): void {
  const child = spawn(process.execPath, ['-e', "process.stdout.write('x')"], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  child.stdout.once('data', onOutput);
  blockUntilExited(child.pid!);
}

/**
 * Keeps starting children that print a byte and exit, until stopped, as a busy extension
 * host does (git, language servers): each child's exit is seen in the same loop turn as its
 * output (the host was busy while it ran), and that output takes `busyMs` to handle. A child
 * of ours that exits during that time is reaped in that turn, before its own pipes are read.
 */
export function churnChildren(busyMs = 25): { stop: () => Promise<number> } {
  const tick = new Int32Array(new SharedArrayBuffer(4));
  let running = true;
  let started = 0;
  let live: Promise<void> = Promise.resolve();
  const next = () => {
    if (!running) return;
    started++;
    live = new Promise((resolve) => {
      const child = spawn('printf', ['x'], { stdio: ['ignore', 'pipe', 'ignore'] });
      child.stdout.on('data', () => Atomics.wait(tick, 0, 0, busyMs));
      child.on('close', () => {
        resolve();
        setImmediate(next);
      });
      blockUntilExited(child.pid!);
    });
  };
  next();
  return {
    stop: async () => {
      running = false;
      await live;
      return started;
    },
  };
}

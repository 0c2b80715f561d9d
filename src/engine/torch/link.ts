// The thread that owns the PyTorch worker process: it forwards each request frame to the
// worker's stdin, collects the reply frame from its stdout, and hands it back to the waiting
// caller (bridge.ts), which sleeps on a shared flag meanwhile. A worker that exits, or a
// stream that stops making sense, answers every pending and later request with an error.
import { spawn } from 'node:child_process';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { FrameError, FrameReader, type Frame } from './frames';

export interface LinkData {
  python: string;
  script: string;
  /** Int32Array over a SharedArrayBuffer: [0] the reply flag. */
  signal: SharedArrayBuffer;
  /** Where replies go: the caller takes them off its end synchronously. */
  port: MessagePort;
}

export interface LinkRequest {
  /** The encoded frame, on an ArrayBuffer of its own (transferred, not copied). */
  frame: Buffer;
}

export type LinkReply = Frame | { failure: string; detail?: string };

const { python, script, signal, port: replies } = workerData as LinkData;
const flag = new Int32Array(signal);
const requests = parentPort!;
const reader = new FrameReader();
let broken: string | null = null;
let stderr = '';

const child = spawn(python, [script], { stdio: ['pipe', 'pipe', 'pipe'] });

function answer(reply: LinkReply): void {
  // The arrays' memory moves to the caller rather than being copied.
  const buffers =
    'arrays' in reply ? Object.values(reply.arrays).map((a) => a.buffer as ArrayBuffer) : [];
  replies.postMessage(reply, buffers);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

function fail(reason: string): void {
  if (broken) return;
  broken = reason;
  if (waiting) {
    waiting = false;
    answer({ failure: reason, detail: stderr.slice(-4000) });
  }
}

let waiting = false;
child.stdout.on('data', (chunk: Buffer) => {
  try {
    for (const frame of reader.push(chunk)) {
      waiting = false;
      answer(frame);
    }
  } catch (error) {
    fail(error instanceof FrameError ? `the PyTorch worker sent ${error.message}` : String(error));
    child.kill();
  }
});
child.stderr.on('data', (chunk: Buffer) => {
  stderr = (stderr + chunk.toString('utf8')).slice(-20000);
});
child.on('error', (error) =>
  fail(`the PyTorch worker could not start (${python}): ${error.message}`),
);
child.on('exit', (code, signalName) =>
  fail(`the PyTorch worker exited (${signalName ?? `code ${code}`})`),
);

requests.on('message', (request: LinkRequest | 'close') => {
  if (request === 'close') {
    child.stdin.end();
    replies.close();
    requests.close();
    return;
  }
  if (broken) return answer({ failure: broken, detail: stderr.slice(-4000) });
  waiting = true;
  const { frame } = request;
  child.stdin.write(new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength));
});

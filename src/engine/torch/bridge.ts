// Synchronous calls into the PyTorch worker, for an Objective (whose methods return values,
// not promises): the request goes to the link thread (link.ts), which owns the worker
// process, and the caller sleeps on a shared flag (Atomics.wait) until the reply is queued on
// its port (receiveMessageOnPort). Vectors travel as float64 bytes end to end.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  MessageChannel,
  receiveMessageOnPort,
  Worker,
  type MessagePort,
} from 'node:worker_threads';
import { encodeFrame, type Frame } from './frames';
import type { LinkData, LinkReply, LinkRequest } from './link';

/** A request the worker refused or could not do: its message, and the traceback if any. */
/**
 * What a failure is about, so that its message points at the right key: the module (its
 * file raised, build returned no module), the data (unreadable, or not fitting the module),
 * memory, or the worker itself (no Python, a crash, a broken stream).
 */
export type TorchFailure = 'model' | 'data' | 'loss' | 'memory' | 'worker';

export class TorchError extends Error {
  constructor(
    message: string,
    readonly detail?: string,
    readonly about: TorchFailure = 'worker',
  ) {
    super(message);
  }
}

export class TorchBridge {
  private readonly link: Worker;
  private readonly port: MessagePort;
  private readonly flag: Int32Array;

  constructor(python: string, script = workerScript()) {
    const signal = new SharedArrayBuffer(4);
    this.flag = new Int32Array(signal);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const data: LinkData = { python, script, signal, port: port2 };
    this.link = startLink(data);
    // The link thread keeps nothing of ours alive: an unclosed bridge does not hold the process.
    this.link.unref();
  }

  /** Sends one request and waits for its reply. Throws TorchError when it failed. */
  call(message: Record<string, unknown>, arrays: Record<string, Float64Array> = {}): Frame {
    Atomics.store(this.flag, 0, 0);
    // Encoded here (the one copy of the vectors on this side) and handed over, not copied.
    const frame = encodeFrame(message, arrays);
    const request: LinkRequest = { frame };
    this.link.postMessage(request, [frame.buffer as ArrayBuffer]);
    Atomics.wait(this.flag, 0, 0);
    const received = receiveMessageOnPort(this.port);
    if (!received) throw new TorchError('the PyTorch worker answered nothing');
    const reply = received.message as LinkReply;
    if ('failure' in reply) throw new TorchError(reply.failure, reply.detail);
    if (reply.message.ok !== true)
      throw new TorchError(
        String(reply.message.error),
        reply.message.traceback as string | undefined,
        (reply.message.about as TorchFailure | undefined) ?? 'model',
      );
    return reply;
  }

  close(): void {
    this.link.postMessage('close');
  }
}

/** The worker script shipped beside the bundles (dist/../python), or in the source tree. */
function workerScript(): string {
  for (const folder of [
    join(__dirname, '..', 'python'),
    join(__dirname, '..', '..', '..', 'python'),
  ])
    if (existsSync(join(folder, 'losslab_worker.py'))) return join(folder, 'losslab_worker.py');
  throw new Error('python/losslab_worker.py is missing from this installation');
}

function startLink(data: LinkData): Worker {
  const bundled = join(__dirname, 'torchLink.js');
  const options = { workerData: data, transferList: [data.port] };
  if (existsSync(bundled)) return new Worker(bundled, options);
  // From sources (tests): through tsx.
  const source = JSON.stringify(join(__dirname, 'link.ts'));
  return new Worker(`require('tsx/cjs'); require(${source});`, { ...options, eval: true });
}

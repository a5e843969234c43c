/**
 * A queue worker's compute: the local mode's own point threads (sweep/worker.js), one per unit of concurrency.
 * Points run there, not on the main thread, because a point is one long synchronous computation: on the main
 * thread it would block the timers that renew the job's lock in Redis, and other workers would take the point
 * over as stalled while it still runs. The stop flag is shared as in the local mode: a point training or
 * pruning checkpoints and stops, one evaluating or simulating finishes.
 */
import path from 'path';
import { Worker } from 'worker_threads';
import type { SweepPoint } from '../grid';
import type { ResultLine } from '../line';
import { FromWorker, ToWorker, WorkerData } from '../protocol';

export type Outcome =
  | { type: 'done'; line: ResultLine }
  | { type: 'stopped' }
  | { type: 'failed'; message: string; user: boolean };

export interface RunHooks {
  phase(phase: string, fraction: number): void;
  /** The point's trained model is in its folder (trained or loaded). */
  trained(): void;
}

interface Slot {
  thread: Worker;
  busy: ((m: FromWorker | { type: 'crashed'; message: string }) => void) | null;
}

export class PointThreads {
  private readonly slots: Slot[] = [];
  private readonly stopFlag: Int32Array;
  private readonly stopBuffer = new SharedArrayBuffer(4);
  private closing = false;

  /** `count` threads whose default folder is `workDir`; their own output (progress bars, warnings) goes to `log`. */
  constructor(count: number, private readonly workDir: string, private readonly log: NodeJS.WritableStream) {
    this.stopFlag = new Int32Array(this.stopBuffer);
    for (let i = 0; i < count; i++) this.slots.push(this.spawn(i + 1));
  }

  private spawn(worker: number): Slot {
    const thread = new Worker(path.join(__dirname, '..', 'worker.js'), {
      workerData: { worker, outDir: this.workDir, stop: this.stopBuffer } satisfies WorkerData, stdout: true, stderr: true,
    });
    thread.stdout.pipe(this.log, { end: false });
    thread.stderr.pipe(this.log, { end: false });
    const slot: Slot = { thread, busy: null };
    thread.on('message', (m: FromWorker) => slot.busy?.(m));
    const crashed = (message: string) => {
      slot.busy?.({ type: 'crashed', message });
      // A fresh thread takes the dead one's place (unless the pool is closing).
      if (!this.closing) this.slots[worker - 1] = this.spawn(worker);
    };
    thread.on('error', (err) => crashed(err.stack ?? String(err)));
    thread.on('exit', (code) => {
      if (this.slots[worker - 1] === slot && !this.closing) crashed(`the point's thread exited (code ${code})`);
    });
    return slot;
  }

  /** Runs one point on a free thread (the caller never runs more points than threads) and resolves with how it ended. */
  run(point: SweepPoint, outDir: string, hooks: RunHooks): Promise<Outcome & { worker: number }> {
    const index = this.slots.findIndex((s) => s.busy === null);
    if (index < 0) throw new Error('PointThreads.run: every thread is busy');
    const slot = this.slots[index];
    return new Promise((resolve) => {
      slot.busy = (m) => {
        if (m.type === 'phase') return hooks.phase(m.phase, m.fraction);
        if (m.type === 'trained') return hooks.trained();
        slot.busy = null;
        const worker = index + 1;
        if (m.type === 'done') resolve({ type: 'done', line: m.line, worker });
        else if (m.type === 'stopped') resolve({ type: 'stopped', worker });
        else if (m.type === 'failed') resolve({ type: 'failed', message: m.message, user: m.user, worker });
        else resolve({ type: 'failed', message: m.message, user: false, worker });
      };
      slot.thread.postMessage({ type: 'run', point, outDir } satisfies ToWorker);
    });
  }

  /** Asks running points to stop at their next checkpoint (training, pruning) or to finish (eval, simulate). */
  stop(): void {
    Atomics.store(this.stopFlag, 0, 1);
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((s) => s.thread.terminate()));
  }
}

/** A sweep worker: runs the points the main thread sends, one at a time, and reports back. */
import { parentPort, workerData } from 'worker_threads';
import { UserError } from '../models/config';
import { runPoint } from './point';
import { FromWorker, ToWorker, WorkerData } from './protocol';
import { StoppedError } from '../models/train';

/** Serves the main thread's requests until it sends `exit`. Called by worker.js. */
export function serve(): void {
  const port = parentPort;
  if (!port) throw new Error('sweep/worker-main must run in a worker thread');
  const data = workerData as WorkerData;
  const stop = new Int32Array(data.stop);
  const send = (m: FromWorker) => port.postMessage(m);
  port.on('message', (m: ToWorker) => handle(m, data, stop, send, () => port.close()));
}

function handle(m: ToWorker, data: WorkerData, stop: Int32Array, send: (m: FromWorker) => void, close: () => void): void {
  if (m.type === 'exit') {
    close();
    return;
  }
  const point = m.point;
  const key = point.key;
  let phase = 'start';
  let lastSent = 0;
  try {
    const line = runPoint(point, m.outDir ?? data.outDir, {
      worker: data.worker,
      shouldStop: () => Atomics.load(stop, 0) === 1,
      phase: (p) => {
        phase = p;
        send({ type: 'phase', key, phase: p, fraction: 0, fields: [] });
      },
      // At most ~5 progress messages a second: the main thread redraws, the worker should compute.
      progress: (fraction, fields) => {
        const now = Date.now();
        if (now - lastSent < 200 && fraction < 1) return;
        lastSent = now;
        send({ type: 'phase', key, phase, fraction, fields });
      },
      trained: () => send({ type: 'trained', key, trainKey: point.trainKey }),
    });
    send({ type: 'done', key, line });
  } catch (err) {
    if (err instanceof StoppedError) send({ type: 'stopped', key });
    else send({ type: 'failed', key, message: err instanceof UserError ? err.message : (err as Error)?.stack ?? String(err), user: err instanceof UserError });
  }
}

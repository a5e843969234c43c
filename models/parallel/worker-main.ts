/** A training worker: runs its shard of every step the main thread posts, until told to exit. */
import { parentPort, workerData } from 'worker_threads';
import { LayerState } from '../cells';
import { ParamSet } from '../params';
import { CTRL_EXIT, CTRL_LENGTH, CTRL_POSITION, CTRL_SEQ, CTRL_STEP, FAILED, WorkerSetup } from './protocol';
import { runShard } from './shards';

/** The worker thread's entry (worker.js): serves the setup the pool handed it as workerData. */
export function serve(): void {
  const port = parentPort;
  if (!port) throw new Error('models/parallel/worker-main must run in a worker thread');
  serveShard(workerData as WorkerSetup);
  port.close();
}

/**
 * The worker's loop, apart from the thread it runs on (so a test can run it in-process, with another thread
 * posting the steps): waits for each step the control block posts, runs the shard on the shared buffers, reports
 * the step done (or FAILED, with the message on `setup.errors`), and returns when told to exit.
 */
export function serveShard(setup: WorkerSetup): void {
  const params: ParamSet = {};
  const grads: ParamSet = {};
  setup.params.forEach(([name, shape, buffer], i) => {
    params[name] = { shape, data: new Float32Array(buffer) };
    grads[name] = { shape, data: new Float32Array(setup.grads[i]) };
  });
  const states: LayerState[] = setup.states.map(([h, y]) => ({ h: new Float32Array(h), y: new Float32Array(y) }));
  const data = { data: new Int32Array(setup.data), steps: setup.dataSteps, batch: setup.batch };
  const ctrl = new Int32Array(setup.ctrl);
  const done = new Int32Array(setup.done);
  const stats = new Float64Array(setup.stats);
  let seen = 0;
  for (;;) {
    Atomics.wait(ctrl, CTRL_SEQ, seen);
    if (Atomics.load(ctrl, CTRL_EXIT) === 1) break;
    seen = Atomics.load(ctrl, CTRL_SEQ);
    let result = seen;
    try {
      const s = runShard(setup.config, params, data, states, grads, setup.shard, setup.index, {
        position: ctrl[CTRL_POSITION], length: ctrl[CTRL_LENGTH], step: ctrl[CTRL_STEP],
      }, setup.seed, setup.regularisation);
      stats[0] = s.lossSum;
      s.eventsPerLayer.forEach((e, l) => (stats[1 + l] = e));
    } catch (e) {
      // The main thread is blocked in Atomics.wait and cannot take an event; it reads this message synchronously.
      setup.errors.postMessage({ error: e instanceof Error ? e.message : String(e) });
      result = FAILED;
    }
    Atomics.store(done, setup.index, result);
    Atomics.notify(done, setup.index);
  }
  setup.errors.close();
}

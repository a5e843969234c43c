/**
 * The training worker's loop (models/parallel/worker-main.ts serveShard) run in this thread, on the hand-built EGRU
 * of test/helpers/hand-egru.ts, while a small controller thread plays the pool: it waits for the step to be done
 * (or failed), then tells the loop to exit. Everything the worker reports is checked against numbers worked out
 * by hand (in a worker thread the same code runs where Jest and Stryker see no coverage).
 *
 * Batch of 2 streams: stream 0 = [1, 1, 1, 1], stream 1 = [0, 2, 0, 0]. The worker runs shard 1 (stream 1 alone)
 * over the window position 0, length 3: inputs 0, 2, 0 and targets 2, 0, 0.
 *   Events: layer 0 fires 1 unit after each input 0 (2 inputs): 2; layer 1 fires 2 units after each: 4.
 *   lossSum: 3 tokens at ln 3 each (all logits 0) = 3.295837.
 *   decoder.bias gradient of the mean loss over N = 3 tokens, (N/3 − #targets v) / N: v = 0 (two targets):
 *   (1 − 2)/3 = −1/3; v = 1 (none): 1/3; v = 2 (one): 0.
 *   Final states of stream 1 (the last input is a 0): layer 0 h = [0.495055, 0], y = [0.995055, 0]; layer 1
 *   h = [0.494906, 0.494906], y = [0.994906, 0.994906]. Stream 0's rows, not the shard's, keep their 7s.
 */
import path from 'path';
import { MessageChannel, Worker, receiveMessageOnPort } from 'worker_threads';
import { batchify } from '../models/data/batches';
import { NO_REGULARISATION } from '../models/lm';
import { CTRL_EXIT, CTRL_LENGTH, CTRL_POSITION, CTRL_SEQ, CTRL_SIZE, CTRL_STEP, FAILED, WorkerSetup } from '../models/parallel/protocol';
import { serve, serveShard } from '../models/parallel/worker-main';
import { C0, C1, HAND_EGRU, handEgruParams, shortStatesMessage } from './helpers/hand-egru';

const shared = (bytes: number) => new SharedArrayBuffer(bytes);

/** A worker's setup for shard 1 of the two streams; `stateRows` streams' rows of state per layer (2 is the whole batch). */
function setupOfShard1(stateRows: number) {
  const params = handEgruParams();
  const names = Object.keys(params);
  const paramBuffers = names.map((n) => {
    const b = shared(params[n].data.byteLength);
    new Float32Array(b).set(params[n].data);
    return b;
  });
  const batched = batchify(Int32Array.of(1, 1, 1, 1, 0, 2, 0, 0), 2);
  const data = shared(batched.data.byteLength);
  new Int32Array(data).set(batched.data);
  const states = HAND_EGRU.layers.map((H): [SharedArrayBuffer, SharedArrayBuffer] => {
    const h = shared(stateRows * H * 4), y = shared(stateRows * H * 4);
    new Float32Array(h).fill(7, 0, H);
    new Float32Array(y).fill(7, 0, H);
    return [h, y];
  });
  const ctrl = new Int32Array(shared(CTRL_SIZE * 4));
  ctrl[CTRL_POSITION] = 0;
  ctrl[CTRL_LENGTH] = 3;
  ctrl[CTRL_STEP] = 0;
  ctrl[CTRL_SEQ] = 1;
  const channel = new MessageChannel();
  const setup: WorkerSetup = {
    config: HAND_EGRU,
    params: names.map((n, i) => [n, params[n].shape, paramBuffers[i]]),
    grads: names.map((n) => shared(params[n].data.byteLength)),
    states, data, dataSteps: batched.steps, batch: 2,
    shard: { first: 1, count: 1 }, index: 1, seed: 1, regularisation: NO_REGULARISATION,
    ctrl: ctrl.buffer as SharedArrayBuffer, done: shared(2 * 4), stats: shared(8 * 3), errors: channel.port2,
  };
  return { setup, names, errors: channel.port1 };
}

/**
 * Runs the loop on step 1 (posted in the setup) until a controller thread, once the step is done or failed
 * (or after 10 s, so a broken loop cannot block this thread for ever), raises the exit flag as the pool's close does.
 */
function serveOneStep(setup: WorkerSetup): void {
  const controller = new Worker(
    `const { workerData: w } = require('worker_threads');
     const ctrl = new Int32Array(w.ctrl), done = new Int32Array(w.done);
     Atomics.wait(done, w.index, 0, 10000);
     Atomics.store(ctrl, w.exit, 1);
     Atomics.add(ctrl, w.seq, 1);
     Atomics.notify(ctrl, w.seq);`,
    { eval: true, workerData: { ctrl: setup.ctrl, done: setup.done, index: setup.index, exit: CTRL_EXIT, seq: CTRL_SEQ } },
  );
  controller.unref();
  serveShard(setup);
}

describe('the training worker loop', () => {
  it('runs the posted step on its shard and reports it done, with its loss, events, gradients and states', () => {
    const { setup, names, errors } = setupOfShard1(2);
    serveOneStep(setup);
    expect(new Int32Array(setup.done)[1]).toBe(1);
    const stats = Array.from(new Float64Array(setup.stats));
    expect(stats[0]).toBeCloseTo(3 * Math.log(3), 5);
    expect(stats.slice(1)).toEqual([2, 4]);
    const bias = Array.from(new Float32Array(setup.grads[names.indexOf('decoder.bias')]));
    [-1 / 3, 1 / 3, 0].forEach((g, v) => expect(bias[v]).toBeCloseTo(g, 6));
    const state = (l: number, which: 0 | 1) => Array.from(new Float32Array(setup.states[l][which]));
    [[state(0, 0), [7, 7, C0 - 0.5, 0]], [state(0, 1), [7, 7, C0, 0]], [state(1, 0), [7, 7, C1 - 0.5, C1 - 0.5]], [state(1, 1), [7, 7, C1, C1]]]
      .forEach(([got, want]) => want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, 5)));
    expect(receiveMessageOnPort(errors)).toBeUndefined();
  });

  it('reports a step that throws as FAILED, with the error message on its port', () => {
    // State rows for stream 0 only: shard 1's rows are an empty view, and writing its final state back throws.
    const expected = shortStatesMessage();
    const { setup, errors } = setupOfShard1(1);
    serveOneStep(setup);
    expect(new Int32Array(setup.done)[1]).toBe(FAILED);
    // In a worker thread the message is the error's own; under Jest the RangeError comes from another realm than the
    // test's Error, so the worker (e instanceof Error false) posts String(e), "RangeError: " and the message.
    const posted = receiveMessageOnPort(errors)?.message as { error: string };
    expect(Object.keys(posted)).toEqual(['error']);
    expect(posted.error.endsWith(expected)).toBe(true);
  });

  it('reports a thread that fails before its loop (here, reading a setup without parameters) as FAILED, with the message', async () => {
    // Without worker.js's catch the thread ends with an uncaught error that a pool blocked in Atomics.wait never
    // sees: it would wait for ever (the 60 s limit here stands in for that).
    const { setup, errors } = setupOfShard1(2);
    const broken = { ...setup, params: null };
    const worker = new Worker(path.join(__dirname, '..', 'models', 'parallel', 'worker.js'), {
      workerData: broken, transferList: [setup.errors],
    });
    const uncaught: unknown[] = [];
    worker.on('error', (e) => uncaught.push(e));
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    const done = new Int32Array(setup.done);
    Atomics.wait(done, 1, 0, 60_000);
    expect(done[1]).toBe(FAILED);
    expect(receiveMessageOnPort(errors)?.message).toEqual({ error: "Cannot read properties of null (reading 'forEach')" });
    expect(await exited).toBe(0);
    expect(uncaught).toEqual([]);
  });

  it('refuses to serve outside a worker thread', () => {
    expect(() => serve()).toThrow(new Error('models/parallel/worker-main must run in a worker thread'));
  });
});

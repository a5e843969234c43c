/**
 * The gradient pool (models/parallel/pool.ts) against answers worked out by hand on the hand-built EGRU of
 * test/helpers/hand-egru.ts (an input token 0 fires 1 unit of layer 0 and 2 of layer 1, nothing else fires, every
 * token's loss is ln 3): the thread count and the state rows it accepts, shared and ordinary parameter memory, the
 * loss and events of a step, and a failing worker thread's error reaching the caller, with the threads ended.
 *
 * Stryker scout of 2026-12-05 (pool-known, shards-known, worker-known, train-threads): pool.ts's one uncovered
 * mutant, the fallback text 'no message' emptied (line 151), is killed by the "no message" case below. Equivalent:
 *   pool.ts:142 `own.eventsPerLayer.slice()` → `own.eventsPerLayer`: runWindow returns a fresh array (lm.ts's
 *     `layers.map`) that nothing but this step holds, so adding the workers' events into it in place changes nothing.
 *   pool.ts:164 `if (!this.workers.length) return` → `if (false) …`: with no workers, close only writes the control
 *     block's exit flag and sequence number, which no thread reads any more (a later step rewrites the sequence).
 */
import { once } from 'events';
import { MessageChannel } from 'worker_threads';
import type { MessagePort, Worker } from 'worker_threads';
import { UserError } from '../models/config';
import { batchify } from '../models/data/batches';
import { initialStates, NO_REGULARISATION } from '../models/lm';
import { gradsLike } from '../models/optim/adamw';
import type { ParamSet } from '../models/params';
import { GradientPool, shareParams, unshareParams } from '../models/parallel/pool';
import { C0, C1, HAND_EGRU, handEgruParams } from './helpers/hand-egru';

// Two streams: stream 0 = [0, 0, 1, 2], stream 1 = [2, 0, 1, 0] (batchify cuts the ids into consecutive streams).
const data = () => batchify(Int32Array.of(0, 0, 1, 2, 2, 0, 1, 0), 2);
const window = { position: 0, length: 3, step: 0 };

function pool(threads: number, states = initialStates(HAND_EGRU, 2), params = handEgruParams()): GradientPool {
  return new GradientPool({ config: HAND_EGRU, params, data: data(), states, threads, seed: 1, regularisation: NO_REGULARISATION });
}

/** The message V8 gives for reading `.data` of a tensor that is not there. Read from the engine, not spelled out. */
function missingTensorMessage(): string {
  const params: Record<string, { data: unknown } | undefined> = {};
  try {
    return String(params['absent']!.data);
  } catch (e) {
    return (e as Error).message;
  }
}

describe('the gradient pool: thread counts', () => {
  it('refuses a thread count that is not a positive integer, saying so', () => {
    for (const threads of [0, -2, 1.5]) {
      expect(() => pool(threads)).toThrow(new UserError(`--threads must be a positive integer (got ${threads})`));
      expect(() => pool(threads)).toThrow(UserError);
    }
  });
});

describe('the gradient pool: the states it is given', () => {
  // HAND_EGRU: layers of 2 and 2 units; data() is a batch of 2 streams, so each layer's h and y need 2 × 2 = 4 values.
  it('refuses state rows for 3 streams or 1 on a batch of 2, naming both counts (3 used to be taken, row 2 ignored)', () => {
    expect(() => pool(1, initialStates(HAND_EGRU, 3))).toThrow(new Error(
      "GradientPool: layer 0's state h has a row count of 3 (6 values, 2 a row) and the batch size is 2: it needs one row per stream",
    ));
    expect(() => pool(2, initialStates(HAND_EGRU, 1))).toThrow(new Error(
      "GradientPool: layer 0's state h has a row count of 1 (2 values, 2 a row) and the batch size is 2: it needs one row per stream",
    ));
  });

  it('checks y as well as h, and every layer', () => {
    const shortY = initialStates(HAND_EGRU, 2);
    shortY[1].y = new Float32Array(5);
    expect(() => pool(1, shortY)).toThrow(new Error(
      "GradientPool: layer 1's state y has a row count of 2.5 (5 values, 2 a row) and the batch size is 2: it needs one row per stream",
    ));
  });

  it('refuses states for another number of layers', () => {
    expect(() => pool(1, initialStates(HAND_EGRU, 2).slice(0, 1))).toThrow(new Error("GradientPool: the number of state layers is 1 and the model's is 2"));
    expect(() => pool(1, [...initialStates(HAND_EGRU, 2), ...initialStates(HAND_EGRU, 2)])).toThrow(
      new Error("GradientPool: the number of state layers is 4 and the model's is 2"),
    );
  });
});

describe('shared parameter memory', () => {
  const twoTensors = (): ParamSet => ({ a: { shape: [2], data: Float32Array.of(1.5, -2) }, b: { shape: [1], data: Float32Array.of(3) } });

  it('shareParams moves every tensor into shared memory with the same values, and leaves shared ones alone', () => {
    const params = twoTensors();
    const a = params.a;
    shareParams(params);
    expect(params.a).toBe(a);
    expect(params.a.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(params.b.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(params.a.data)).toEqual([1.5, -2]);
    expect(Array.from(params.b.data)).toEqual([3]);
    // Already shared: the same array stays (a copy would detach whoever reads the old buffer, e.g. a worker).
    const shared = params.a.data;
    shareParams(params);
    expect(params.a.data).toBe(shared);
  });

  it('unshareParams moves shared tensors back to ordinary memory, and leaves ordinary ones alone', () => {
    const params = twoTensors();
    const ordinary = params.b.data;
    shareParams({ a: params.a });
    unshareParams(params);
    expect(params.a.data.buffer).toBeInstanceOf(ArrayBuffer);
    expect(params.a.data.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(params.a.data)).toEqual([1.5, -2]);
    expect(params.b.data).toBe(ordinary);
  });
});

describe('a step of the pool', () => {
  it('on one thread: the summed loss and events of both streams, and the states they end in', () => {
    // Inputs: stream 0 = 0, 0, 1; stream 1 = 2, 0, 1. Three input 0s: layer 0 fires 3 events, layer 1 6.
    // 6 tokens at ln 3 each: lossSum = 6 ln 3 = 6.591674. Both streams end on an input 1: every state back to 0.
    const p = pool(1);
    try {
      const stats = p.step(gradsLike(handEgruParams()), window);
      expect(stats.lossSum).toBeCloseTo(6 * Math.log(3), 5);
      expect(stats.eventsPerLayer).toEqual([3, 6]);
      for (const s of p.states) expect([...Array.from(s.h), ...Array.from(s.y)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
      // One step further (position 1, length 1: inputs 0 and 0) both streams fire: stream-major rows [stream 0, stream 1].
      expect(p.step(gradsLike(handEgruParams()), { position: 1, length: 1, step: 1 }).eventsPerLayer).toEqual([2, 4]);
      [[p.states[0].y, [C0, 0, C0, 0]], [p.states[1].y, [C1, C1, C1, C1]], [p.states[1].h, [C1 - 0.5, C1 - 0.5, C1 - 0.5, C1 - 0.5]]]
        .forEach(([got, want]) => (want as number[]).forEach((w, i) => expect((got as Float32Array)[i]).toBeCloseTo(w, 5)));
    } finally {
      p.close();
    }
  });

  it('on two threads, a worker that fails: its error message reaches the caller and the threads end', async () => {
    // A worker gets the tensors Object.keys lists; layer 0's threshold, made non-enumerable, is not among them. The
    // main thread's shard 0 reads it from the object and runs; worker 1's shard (stream 1) finds it missing and throws.
    const expected = missingTensorMessage();
    const params = handEgruParams();
    Object.defineProperty(params, 'layers.0.thr', { enumerable: false });
    const p = pool(2, undefined, params);
    // The pool's worker threads are private; read them to see that they end.
    const [worker] = (p as unknown as { workers: { worker: Worker }[] }).workers.map((w) => w.worker);
    let timer: NodeJS.Timeout | undefined;
    const exited = Promise.race([
      once(worker, 'exit').then(() => 'exited'),
      // A thread ends within 0.2 s here; in the full suite on a loaded machine one took over 5 s, hence the 30.
      new Promise((resolve) => (timer = setTimeout(resolve, 30000, 'still running after 30 s'))),
    ]);
    try {
      expect(() => p.step(gradsLike(handEgruParams()), window)).toThrow(new Error(`training thread 1 failed: ${expected}`));
      expect(await exited).toBe('exited');
    } finally {
      clearTimeout(timer);
      p.close();
    }
  });

  it('a worker that fails with no message on its port: the error says "no message"', () => {
    // The same failing worker 1, but the pool reads its errors from a fresh port with nothing on it (the message
    // goes to the port the worker was handed, whose partner the test keeps): the pool's fallback text is all it has.
    const params = handEgruParams();
    Object.defineProperty(params, 'layers.0.thr', { enumerable: false });
    const p = pool(2, undefined, params);
    const [slot] = (p as unknown as { workers: { errors: MessagePort }[] }).workers;
    const original = slot.errors;
    const empty = new MessageChannel();
    slot.errors = empty.port1;
    try {
      expect(() => p.step(gradsLike(handEgruParams()), window)).toThrow(new Error('training thread 1 failed: no message'));
    } finally {
      p.close();
      original.close();
      empty.port1.close();
      empty.port2.close();
    }
  });
});

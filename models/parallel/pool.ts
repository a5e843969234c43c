/**
 * Data-parallel gradients on worker threads: the batch's streams are cut into one shard per thread, the main
 * thread runs shard 0 itself while the workers run the others on shared parameters, and the shard gradients
 * are reduced in a fixed order. The pool owns the full-batch recurrent states (shared, each shard writes its own
 * rows), so a checkpoint reads them in one place whatever the thread count.
 */
import path from 'path';
import { MessageChannel, MessagePort, Worker, receiveMessageOnPort } from 'worker_threads';
import { ModelConfig, UserError } from '../config';
import { LayerState } from '../cells';
import { Batched } from '../data/batches';
import { Regularisation } from '../lm';
import { ParamSet } from '../params';
import { CTRL_EXIT, CTRL_LENGTH, CTRL_POSITION, CTRL_SEQ, CTRL_SIZE, CTRL_STEP, FAILED, WorkerSetup } from './protocol';
import { Shard, ShardStats, ShardWindow, reduceShards, runShard, shardsOf } from './shards';

/** Moves every tensor of `params` into shared memory (same values, same objects), so worker threads can read them. */
export function shareParams(params: ParamSet): void {
  for (const t of Object.values(params)) {
    if (t.data.buffer instanceof SharedArrayBuffer) continue;
    const shared = new Float32Array(new SharedArrayBuffer(t.data.byteLength));
    shared.set(t.data);
    t.data = shared;
  }
}

/** The reverse of shareParams: ordinary buffers again, for everything after training (files, compiler). */
export function unshareParams(params: ParamSet): void {
  for (const t of Object.values(params)) if (t.data.buffer instanceof SharedArrayBuffer) t.data = new Float32Array(t.data);
}

function sharedFloats(length: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(length * 4));
}

export interface PoolOptions {
  config: ModelConfig;
  /** Shared with the workers (shareParams is applied to it). */
  params: ParamSet;
  data: Batched;
  /** Initial full-batch states (copied in). */
  states: LayerState[];
  threads: number;
  seed: number;
  regularisation: Regularisation;
}

/**
 * The states must hold one row per stream for every layer: a shard reads its rows by offset, so extra rows were
 * silently ignored (and carried on into checkpoints), and missing ones failed deep inside a step.
 */
function checkStateRows(config: ModelConfig, states: LayerState[], batch: number): void {
  if (states.length !== config.layers.length)
    throw new Error(`GradientPool: the number of state layers is ${states.length} and the model's is ${config.layers.length}`);
  states.forEach((s, l) => {
    const H = config.layers[l];
    for (const [name, a] of [['h', s.h], ['y', s.y]] as const)
      if (a.length !== batch * H)
        throw new Error(
          `GradientPool: layer ${l}'s state ${name} has a row count of ${a.length / H} (${a.length} values, ${H} a row) ` +
            `and the batch size is ${batch}: it needs one row per stream`,
        );
  });
}

export class GradientPool {
  readonly shards: Shard[];
  /** Full-batch [B, H] states in shared memory: each shard reads and writes its own rows. */
  readonly states: LayerState[];
  private readonly workers: { worker: Worker; grads: ParamSet; stats: Float64Array; errors: MessagePort }[] = [];
  private readonly ctrl: Int32Array;
  private readonly done: Int32Array;
  private readonly data: Batched;
  private seq = 0;

  constructor(private readonly options: PoolOptions) {
    const { config, params, threads } = options;
    if (!Number.isInteger(threads) || threads < 1) throw new UserError(`--threads must be a positive integer (got ${threads})`);
    if (threads > options.data.batch)
      throw new UserError(`--threads ${threads} is more than the batch of ${options.data.batch} streams: each thread needs a stream; use --threads ${options.data.batch} or a larger --batch`);
    checkStateRows(config, options.states, options.data.batch);
    this.shards = shardsOf(options.data.batch, threads);
    shareParams(params);
    this.states = options.states.map((s) => {
      const h = sharedFloats(s.h.length), y = sharedFloats(s.y.length);
      h.set(s.h);
      y.set(s.y);
      return { h, y };
    });
    const data = new Int32Array(new SharedArrayBuffer(options.data.data.byteLength));
    data.set(options.data.data);
    this.data = { data, steps: options.data.steps, batch: options.data.batch };
    this.ctrl = new Int32Array(new SharedArrayBuffer(CTRL_SIZE * 4));
    this.done = new Int32Array(new SharedArrayBuffer(threads * 4));
    for (let k = 1; k < threads; k++) this.startWorker(k);
  }

  private startWorker(index: number): void {
    const { config, params } = this.options;
    const names = Object.keys(params);
    const grads: ParamSet = {};
    for (const name of names) grads[name] = { shape: params[name].shape, data: sharedFloats(params[name].data.length) };
    const statsBuffer = new SharedArrayBuffer(8 * (1 + config.layers.length));
    const channel = new MessageChannel();
    const setup: WorkerSetup = {
      config,
      params: names.map((n) => [n, params[n].shape, params[n].data.buffer as SharedArrayBuffer]),
      grads: names.map((n) => grads[n].data.buffer as SharedArrayBuffer),
      states: this.states.map((s) => [s.h.buffer as SharedArrayBuffer, s.y.buffer as SharedArrayBuffer]),
      data: this.data.data.buffer as SharedArrayBuffer,
      dataSteps: this.data.steps,
      batch: this.data.batch,
      shard: this.shards[index],
      index,
      seed: this.options.seed,
      regularisation: this.options.regularisation,
      ctrl: this.ctrl.buffer as SharedArrayBuffer,
      done: this.done.buffer as SharedArrayBuffer,
      stats: statsBuffer,
      errors: channel.port2,
    };
    const worker = new Worker(path.join(__dirname, 'worker.js'), { workerData: setup, transferList: [channel.port2] });
    // An idle pool must not keep the process alive; a step blocks on Atomics, not on the event loop.
    worker.unref();
    this.workers.push({ worker, grads, stats: new Float64Array(statsBuffer), errors: channel.port1 });
  }

  /**
   * The gradient of the whole batch's mean loss over one window into `grads` (not shared; zeroed first), the
   * states advanced by the window. Blocks until every shard is done.
   */
  step(grads: ParamSet, window: ShardWindow): ShardStats {
    const { config, params, seed, regularisation } = this.options;
    this.seq++;
    Atomics.store(this.ctrl, CTRL_POSITION, window.position);
    Atomics.store(this.ctrl, CTRL_LENGTH, window.length);
    Atomics.store(this.ctrl, CTRL_STEP, window.step);
    Atomics.store(this.ctrl, CTRL_SEQ, this.seq);
    Atomics.notify(this.ctrl, CTRL_SEQ);
    const own = runShard(config, params, this.data, this.states, grads, this.shards[0], 0, window, seed, regularisation);
    const lossSum = [own.lossSum];
    const events = own.eventsPerLayer.slice();
    this.workers.forEach((w, i) => {
      const index = i + 1;
      for (;;) {
        const d = Atomics.load(this.done, index);
        if (d === this.seq) break;
        if (d === FAILED) {
          const m = receiveMessageOnPort(w.errors);
          this.close();
          throw new Error(`training thread ${index} failed: ${(m?.message as { error?: string } | undefined)?.error ?? 'no message'}`);
        }
        Atomics.wait(this.done, index, d, 1000);
      }
      lossSum.push(w.stats[0]);
      events.forEach((_, l) => (events[l] += w.stats[1 + l]));
    });
    reduceShards(grads, this.workers.map((w) => w.grads), this.shards);
    return { lossSum: lossSum.reduce((a, b) => a + b, 0), eventsPerLayer: events };
  }

  /** Ends the worker threads (idempotent). */
  close(): void {
    if (!this.workers.length) return;
    Atomics.store(this.ctrl, CTRL_EXIT, 1);
    Atomics.add(this.ctrl, CTRL_SEQ, 1);
    Atomics.notify(this.ctrl, CTRL_SEQ);
    for (const w of this.workers) w.errors.close();
    this.workers.length = 0;
  }
}

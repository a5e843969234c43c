/**
 * Data parallelism without threads: a batch of B streams cut into shards of contiguous streams, and one shard's
 * window run forward and backward on its own. Each shard draws its dropout from a generator derived from
 * (seed, step, shard), so a shard's work depends on nothing but its inputs and the same seed and shard count give
 * the same bytes whichever thread runs it. The gradient of the whole batch's mean loss is the shard gradients
 * weighted by their share of the streams, summed in shard order (reduceShards).
 */
import { ModelConfig } from '../config';
import { LayerState } from '../cells';
import { Batched } from '../data/batches';
import { Regularisation, runWindow } from '../lm';
import { zeroGrads } from '../optim/adamw';
import { ParamSet } from '../params';
import { Rng } from '../rng';

export interface Shard {
  /** First stream of the shard. */
  first: number;
  /** Number of streams. */
  count: number;
}

/** B streams in n shards of ⌊B/n⌋ or ⌈B/n⌉ contiguous streams, the larger ones first. */
export function shardsOf(batch: number, n: number): Shard[] {
  const shards: Shard[] = [];
  let first = 0;
  for (let k = 0; k < n; k++) {
    const count = Math.floor(batch / n) + (k < batch % n ? 1 : 0);
    shards.push({ first, count });
    first += count;
  }
  return shards;
}

/** What a shard reports besides its gradients. */
export interface ShardStats {
  lossSum: number;
  eventsPerLayer: number[];
}

export interface ShardWindow {
  position: number;
  length: number;
  step: number;
}

/** Seed of the dropout generator of one shard at one step (splitmix-style mixing of the three numbers). */
export function shardSeed(seed: number, step: number, shard: number): number {
  let x = (seed ^ Math.imul(step + 1, 0x9e3779b1) ^ Math.imul(shard + 1, 0x85ebca77)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d) >>> 0;
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * Runs one shard's window: its streams' inputs and targets from `data`, its rows of `states` (full-batch
 * [B, H] arrays, updated in place with the window's final states), gradients of the shard's mean loss into
 * `grads` (zeroed first).
 */
export function runShard(
  config: ModelConfig, params: ParamSet, data: Batched, states: LayerState[], grads: ParamSet,
  shard: Shard, index: number, window: ShardWindow, seed: number, regularisation: Regularisation,
): ShardStats {
  const { first, count } = shard;
  const { position, length } = window;
  const B = data.batch;
  const inputs = new Int32Array(length * count);
  const targets = new Int32Array(length * count);
  for (let t = 0; t < length; t++) {
    inputs.set(data.data.subarray((position + t) * B + first, (position + t) * B + first + count), t * count);
    targets.set(data.data.subarray((position + t + 1) * B + first, (position + t + 1) * B + first + count), t * count);
  }
  const views = states.map((s, l) => {
    const H = config.layers[l];
    return { h: s.h.subarray(first * H, (first + count) * H), y: s.y.subarray(first * H, (first + count) * H) };
  });
  const r = runWindow(config, params, inputs, targets, views, {
    steps: length, batch: count, rng: new Rng(shardSeed(seed, window.step, index)), regularisation,
  });
  zeroGrads(grads);
  r.backward(grads);
  r.states.forEach((s, l) => {
    views[l].h.set(s.h);
    views[l].y.set(s.y);
  });
  return { lossSum: r.lossSum, eventsPerLayer: r.eventsPerLayer };
}

/**
 * Turns `grads`, which holds shard 0's gradient, into Σ_k (count_k / B) · gradient_k (shard k ≥ 1's in
 * `others[k − 1]`), summed in shard order: the gradient of the whole batch's mean loss. With one shard nothing
 * changes, so a one-thread run is exactly the unsharded computation.
 */
export function reduceShards(grads: ParamSet, others: ParamSet[], shards: Shard[]): void {
  if (shards.length === 1) return;
  const batch = shards.reduce((a, s) => a + s.count, 0);
  const w0 = shards[0].count / batch;
  for (const [name, t] of Object.entries(grads)) {
    const out = t.data;
    for (let i = 0; i < out.length; i++) out[i] *= w0;
    for (let k = 1; k < shards.length; k++) {
      const g = others[k - 1][name].data, w = shards[k].count / batch;
      for (let i = 0; i < out.length; i++) out[i] += w * g[i];
    }
  }
}

/**
 * Data-parallel training (models/parallel): shards, the weighted reduction, gradients equal to the unsharded
 * computation, and bytes that depend only on the seed and the thread count.
 */
import { ModelConfig, UserError } from '../models/config';
import { batchify } from '../models/data/batches';
import { initialStates, NO_REGULARISATION } from '../models/lm';
import { gradsLike } from '../models/optim/adamw';
import { EMBEDDING, ParamSet, initParams } from '../models/params';
import { GradientPool } from '../models/parallel/pool';
import { reduceShards, shardsOf } from '../models/parallel/shards';
import { Rng } from '../models/rng';
import { DEFAULT_TRAIN_SETTINGS, TrainSettings, train } from '../models/train';
import { fixtureConfig, randomModel } from './fixtures/model';

const config: ModelConfig = fixtureConfig({ vocabSize: 13, emb: 6, layers: [9, 7] });

function freshParams(seed: number): ParamSet {
  const params = initParams(config, new Rng(seed), { thresholdInit: 0.02 });
  // A wide embedding so the tiny EGRU layers fire from the first step (a silent layer would pass no gradient).
  const emb = params[EMBEDDING].data;
  for (let i = 0; i < emb.length; i++) emb[i] *= 8;
  return params;
}

function randomIds(n: number, seed: number): Int32Array {
  const rng = new Rng(seed);
  return Int32Array.from({ length: n }, () => rng.int(config.vocabSize));
}

describe('shards', () => {
  it('cut B streams into contiguous shards, the larger first', () => {
    expect(shardsOf(5, 2)).toEqual([{ first: 0, count: 3 }, { first: 3, count: 2 }]);
    expect(shardsOf(7, 3)).toEqual([{ first: 0, count: 3 }, { first: 3, count: 2 }, { first: 5, count: 2 }]);
    expect(shardsOf(4, 1)).toEqual([{ first: 0, count: 4 }]);
  });

  it('reduce to the stream-weighted sum of the shard gradients', () => {
    // Shards of 3 and 1 streams: 0.75·[1, 2] + 0.25·[10, 20] = [3.25, 6.5].
    const grads: ParamSet = { w: { shape: [2], data: Float32Array.from([1, 2]) } };
    reduceShards(grads, [{ w: { shape: [2], data: Float32Array.from([10, 20]) } }], [{ first: 0, count: 3 }, { first: 3, count: 1 }]);
    expect(Array.from(grads.w.data)).toEqual([3.25, 6.5]);
  });
});

describe('the gradient pool', () => {
  it('gives, on two threads, the gradient and states of the whole batch on one', () => {
    const data = batchify(randomIds(200, 1), 5);
    const window = { position: 3, length: 6, step: 0 };
    const run = (threads: number) => {
      const params = freshParams(2);
      const pool = new GradientPool({
        config, params, data, states: initialStates(config, 5), threads, seed: 1, regularisation: NO_REGULARISATION,
      });
      const grads = gradsLike(params);
      try {
        const stats = pool.step(grads, window);
        return { grads, stats, states: pool.states };
      } finally {
        pool.close();
      }
    };
    const one = run(1), two = run(2);
    expect(two.stats.lossSum).toBeCloseTo(one.stats.lossSum, 4);
    expect(two.stats.eventsPerLayer).toEqual(one.stats.eventsPerLayer);
    let nonZero = 0;
    for (const [name, t] of Object.entries(one.grads)) {
      const g2 = two.grads[name].data;
      for (let i = 0; i < t.data.length; i++) {
        expect(Math.abs(g2[i] - t.data[i])).toBeLessThanOrEqual(1e-6 + 1e-4 * Math.abs(t.data[i]));
        if (t.data[i] !== 0) nonZero++;
      }
    }
    expect(nonZero).toBeGreaterThan(100);
    one.states.forEach((s, l) => {
      expect(Array.from(two.states[l].h)).toEqual(Array.from(s.h));
      expect(Array.from(two.states[l].y)).toEqual(Array.from(s.y));
    });
  });

  it('refuses more threads than streams, saying what to change', () => {
    const params = freshParams(2);
    const make = () => new GradientPool({
      config, params, data: batchify(randomIds(60, 1), 2), states: initialStates(config, 2), threads: 3, seed: 1, regularisation: NO_REGULARISATION,
    });
    expect(make).toThrow(UserError);
    expect(make).toThrow(/--threads 3 is more than the batch of 2 streams/);
  });
});

describe('training on threads', () => {
  const settings: TrainSettings = {
    ...DEFAULT_TRAIN_SETTINGS, batch: 4, bptt: 5, epochs: 1, lr: 0.01, dropoutEmbedding: 0.1, dropoutHidden: 0.2,
    dropoutOutput: 0.2, dropConnect: 0.1, seed: 5, threads: 2,
  };
  const trainIds = randomIds(160, 3), validIds = randomIds(40, 4);
  const trained = (s: TrainSettings) => {
    const model = randomModel(config, { seed: 1 });
    model.params = freshParams(9);
    const result = train(model, trainIds, validIds, s);
    return { model, result };
  };
  const bytes = (p: ParamSet) => Buffer.concat(Object.keys(p).map((n) => Buffer.from(p[n].data.buffer, p[n].data.byteOffset, p[n].data.byteLength)));

  it('the same seed and thread count give the same bytes; the parameters come back in ordinary memory', () => {
    const a = trained(settings), b = trained(settings);
    expect(a.result.steps).toBe(8); // 40 tokens per stream, 39 input steps, windows of 5: 8 steps
    expect(bytes(a.model.params).equals(bytes(b.model.params))).toBe(true);
    for (const t of Object.values(a.model.params)) expect(t.data.buffer).toBeInstanceOf(ArrayBuffer);
    const other = trained({ ...settings, seed: 6 });
    expect(bytes(other.model.params).equals(bytes(a.model.params))).toBe(false);
  });
});

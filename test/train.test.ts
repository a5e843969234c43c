/**
 * The training loop: determinism, exact resume through a checkpoint file, the learning-rate schedule,
 * best-on-validation, learning, per-layer weight decay.
 */
import * as path from 'path';
import { ModelConfig, UserError } from '../models/config';
import { evaluate } from '../models/evaluate';
import { batchify } from '../models/data/batches';
import { loadModel, saveModel } from '../models/file';
import { LanguageModel } from '../models/model';
import { weightDecayOf } from '../models/optim/adamw';
import { EMBEDDING, ParamSet, initParams, kernelName, recurrentKernelName } from '../models/params';
import { Rng } from '../models/rng';
import { DEFAULT_TRAIN_SETTINGS, EvalInfo, TrainSettings, learningRate, train, validationLoss } from '../models/train';
import { fixtureConfig, randomModel } from './fixtures/model';
import { useTempDir } from './fixtures/tmp';

const config: ModelConfig = fixtureConfig({ vocabSize: 11, emb: 5, layers: [8, 6] });

/**
 * A fresh model the way `neuromap train` makes one (initParams with the seed), with a wider embedding so that the
 * tiny layers are active from the first step: a silent EGRU would leave only the decoder bias to train, and
 * dropout, DropConnect and the carried states would not matter to any of the checks below.
 */
function freshModel(cfg: ModelConfig, initSeed: number): LanguageModel {
  const model = randomModel(cfg, { seed: initSeed });
  model.params = initParams(cfg, new Rng(initSeed), { thresholdInit: 0.02 });
  const emb = model.params[EMBEDDING].data;
  for (let i = 0; i < emb.length; i++) emb[i] *= 8;
  return model;
}

function randomIds(V: number, n: number, seed: number): Int32Array {
  const rng = new Rng(seed);
  return Int32Array.from({ length: n }, () => rng.int(V));
}

function bytesOf(params: ParamSet): Buffer {
  return Buffer.concat(Object.keys(params).sort().map((n) => Buffer.from(params[n].data.buffer, params[n].data.byteOffset, params[n].data.byteLength)));
}

// Regularisation on, so the trainer's random stream matters; two epochs, so resuming crosses an epoch boundary.
const settings: TrainSettings = {
  ...DEFAULT_TRAIN_SETTINGS, batch: 3, bptt: 6, epochs: 2, maxTokens: 0, lr: 0.01, minLr: 0.001, constantFraction: 0.4,
  dropoutEmbedding: 0.1, dropoutHidden: 0.2, dropoutOutput: 0.2, dropConnect: 0.1, activityPenalty: 0.01,
  weightDecay: 0.05, clip: 0.5, evalEvery: 2, seed: 7,
};
const trainIds = randomIds(config.vocabSize, 120, 1);
const validIds = randomIds(config.vocabSize, 40, 2);
// 40 tokens per stream, 39 input steps, 7 windows per epoch (the last one 3 long): 14 steps in all.
const TOTAL_STEPS = 14;

describe('determinism', () => {
  it('the same seed gives the same bytes; another seed gives others', () => {
    const a = freshModel(config, 3), b = freshModel(config, 3), c = freshModel(config, 3);
    expect(bytesOf(a.params)).toEqual(bytesOf(b.params));
    const ra = train(a, trainIds, validIds, settings);
    const rb = train(b, trainIds, validIds, settings);
    train(c, trainIds, validIds, { ...settings, seed: 8 });
    expect(ra.steps).toBe(TOTAL_STEPS);
    for (const h of ra.history) for (const a of h.activity) expect(a).toBeGreaterThan(0.05);
    expect(bytesOf(a.params)).toEqual(bytesOf(b.params));
    expect(rb.history).toEqual(ra.history);
    // Same initial parameters, another seed for dropout and DropConnect: training takes another path.
    expect(bytesOf(c.params)).not.toEqual(bytesOf(a.params));
  });
});

describe('--resume', () => {
  const tmp = useTempDir();

  /** Runs until `stopAfter` more steps (or the end), going through a checkpoint file each time it stops. */
  function runInPieces(stops: number[]): { model: LanguageModel; history: EvalInfo[]; steps: number } {
    let model = freshModel(config, 3);
    let done = 0;
    for (const [i, stopAt] of stops.entries()) {
      let calls = 0;
      let checkpointed: LanguageModel | null = null;
      const r = train(model, trainIds, validIds, settings, {
        shouldStop: () => done + calls++ >= stopAt,
        onCheckpoint: (m) => (checkpointed = m),
      });
      expect(r.finished).toBe(false);
      expect(r.steps).toBe(stopAt);
      expect(checkpointed).toBe(model);
      expect(model.training).toBeDefined();
      done = stopAt;
      const file = path.join(tmp(), `piece${i}.egru.ckpt`);
      saveModel(file, model);
      model = loadModel(file);
    }
    const r = train(model, trainIds, validIds, settings);
    expect(r.finished).toBe(true);
    expect(model.training).toBeUndefined();
    return { model, history: r.history, steps: r.steps };
  }

  it.each([
    ['once, mid-epoch', [5]],
    ['at an epoch boundary', [7]],
    ['three times, before the first step included', [0, 4, 7, 12]],
  ])('stopping %s and resuming from the saved file gives the same params and history', (_label, stops) => {
    const straight = freshModel(config, 3);
    const r = train(straight, trainIds, validIds, settings);
    expect(r.history.length).toBeGreaterThanOrEqual(7);
    const pieces = runInPieces(stops);
    expect(pieces.steps).toBe(TOTAL_STEPS);
    expect(pieces.history).toEqual(r.history);
    expect(bytesOf(pieces.model.params)).toEqual(bytesOf(straight.params));
  });
});

describe('learning-rate schedule', () => {
  const s = { ...DEFAULT_TRAIN_SETTINGS, lr: 0.02, minLr: 0.002, constantFraction: 0.4 };

  it('is constant, then a cosine from lr down to minLr', () => {
    const total = 60, flat = 24;
    for (let step = 0; step < flat; step++) expect(learningRate(s, step, total)).toBe(s.lr);
    expect(learningRate(s, flat, total)).toBeCloseTo(s.lr, 12);
    for (let step = flat + 1; step <= total; step++) expect(learningRate(s, step, total)).toBeLessThan(learningRate(s, step - 1, total));
    // Half-way through the decay it is half-way between the two rates; at the end, minLr.
    expect(learningRate(s, flat + 18, total)).toBeCloseTo((s.lr + s.minLr) / 2, 12);
    expect(learningRate(s, flat + 9, total)).toBeCloseTo(s.minLr + (s.lr - s.minLr) * (1 + Math.SQRT1_2) / 2, 12);
    expect(learningRate(s, total, total)).toBeCloseTo(s.minLr, 12);
    expect(learningRate({ ...s, constantFraction: 1 }, total - 1, total)).toBe(s.lr);
    expect(learningRate({ ...s, constantFraction: 0 }, 0, total)).toBeCloseTo(s.lr, 12);
    expect(learningRate({ ...s, constantFraction: 0 }, 1, total)).toBeLessThan(s.lr);
  });

  it('is the rate train() uses at every step', () => {
    const lrs: number[] = [];
    const model = freshModel(config, 4);
    train(model, trainIds, validIds, { ...settings, lr: 0.02, minLr: 0.002 }, { onStep: (i) => lrs.push(i.lr) });
    expect(lrs).toHaveLength(TOTAL_STEPS);
    const s2 = { ...settings, lr: 0.02, minLr: 0.002 };
    expect(lrs).toEqual(lrs.map((_, step) => learningRate(s2, step, TOTAL_STEPS)));
    expect(lrs[0]).toBe(0.02);
    expect(lrs[TOTAL_STEPS - 1]).toBeLessThan(0.006);
  });
});

describe('best on validation', () => {
  it('returns the parameters of the evaluation with the lowest validation loss, not the last ones', () => {
    // Train on a strict cycle, validate on random words: the sharper the model gets on the cycle, the worse it
    // does on the validation text, so the best validation loss comes early.
    const V = config.vocabSize;
    const cycle = Int32Array.from({ length: 300 }, (_, i) => 2 + (i % 5));
    const model = freshModel(config, 5);
    const snapshots: Buffer[] = [];
    const r = train(model, cycle, randomIds(V, 60, 9), { ...settings, epochs: 1, dropConnect: 0, evalEvery: 1, lr: 0.03, batch: 4, bptt: 8 }, {
      onEval: () => snapshots.push(bytesOf(model.params)),
    });
    expect(r.finished).toBe(true);
    const losses = r.history.map((h) => h.validLoss);
    const best = losses.indexOf(Math.min(...losses));
    expect(best).toBeLessThan(losses.length - 3);
    expect(losses[losses.length - 1]).toBeGreaterThan(losses[best] + 0.05);
    expect(r.history[best].best).toBe(true);
    expect(r.history.slice(best + 1).some((h) => h.best)).toBe(false);
    expect(r.bestValidPerplexity).toBeCloseTo(Math.exp(losses[best]), 10);
    expect(bytesOf(model.params)).toEqual(snapshots[best]);
    const valid = batchify(randomIds(V, 60, 9), 10);
    expect(validationLoss(config, model.params, valid, settings.bptt + 2, 0).loss).toBeCloseTo(losses[best], 6);
  });
});

describe('learning', () => {
  it('an EGRU learns a periodic sequence that needs memory: perplexity far below the vocabulary size', () => {
    // After word 2 comes 3 or 5, depending on what came before: the model has to remember.
    const pattern = [2, 3, 4, 2, 5, 6, 7];
    const cfg = fixtureConfig({ vocabSize: 10, emb: 8, layers: [24], surrogateGamma: 0.3, surrogateSupport: 10 });
    const seq = (n: number, offset: number) => Int32Array.from({ length: n }, (_, i) => pattern[(i + offset) % pattern.length]);
    const model = freshModel(cfg, 6);
    const heldOut = seq(141, 3);
    const before = evaluate(cfg, model.params, heldOut);
    const r = train(model, seq(2400, 0), seq(70, 1), {
      ...DEFAULT_TRAIN_SETTINGS, batch: 8, bptt: 14, epochs: 3, lr: 0.02, minLr: 0.002, weightDecay: 0,
      dropoutEmbedding: 0, dropoutHidden: 0, dropoutOutput: 0, clip: 1, seed: 1,
    });
    expect(r.finished).toBe(true);
    const after = evaluate(cfg, model.params, heldOut);
    expect(before.perplexity).toBeGreaterThan(8);
    expect(after.perplexity).toBeLessThan(1.5);
    expect(after.mean_activity).toBeGreaterThan(0);
    expect(after.mean_activity).toBeLessThan(1);
  });
});

describe('per-layer weight decay', () => {
  const wd = (weightDecay: TrainSettings['weightDecay']) => {
    const model = freshModel(config, 3);
    train(model, trainIds, validIds, { ...settings, weightDecay });
    return model;
  };
  /** L2 norm of layer l's kernels (input and recurrent). */
  const layerNorm = (m: LanguageModel, l: number) =>
    Math.sqrt([kernelName(l), recurrentKernelName(l)].reduce((a, n) => a + m.params[n].data.reduce((b, v) => b + v * v, 0), 0));

  it('maps each tensor to its layer’s value, every other tensor to the first, thresholds to none', () => {
    expect(weightDecayOf('layers.1.recurrent_kernel', [0.1, 0.7])).toBe(0.7);
    expect(weightDecayOf('layers.0.bias', [0.1, 0.7])).toBe(0.1);
    expect(weightDecayOf('layers.1.thr', [0.1, 0.7])).toBe(0);
    for (const name of [EMBEDDING, 'decoder.weight', 'decoder.bias', 'projection.weight']) expect(weightDecayOf(name, [0.1, 0.7])).toBe(0.1);
    expect(weightDecayOf('layers.1.kernel', 0.3)).toBe(0.3);
  });

  it('a layer given a higher decay ends with smaller weights, the other layer nearly as in the uniform run; deterministic', () => {
    const uniform = wd(0.05);
    expect(bytesOf(wd([0.05, 0.05]).params)).toEqual(bytesOf(uniform.params));
    for (const [high, values] of [[1, [0.05, 5]], [0, [5, 0.05]]] as const) {
      const model = wd(values);
      expect(bytesOf(wd(values).params)).toEqual(bytesOf(model.params));
      const ratio = (l: number) => layerNorm(model, l) / layerNorm(uniform, l);
      // 14 steps at lr ≤ 0.01 with decay 5: up to 5% shrinkage a step (measured: ×0.90 here).
      expect(ratio(high)).toBeLessThan(0.93);
      expect(Math.abs(ratio(1 - high) - 1)).toBeLessThan(0.01);
    }
  });

  it('refuses a list whose length is not the number of layers, saying how many values it expects', () => {
    expect(() => wd([0.1, 0.2, 0.3])).toThrow(UserError);
    expect(() => wd([0.1, 0.2, 0.3])).toThrow('--weight-decay has 3 values (0.1,0.2,0.3) but the model has 2 recurrent layers: give one value for all, or 2 (one per layer, first to last)');
  });
});

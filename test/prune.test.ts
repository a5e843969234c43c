/**
 * Global magnitude pruning: counts, one global cut, what is never pruned, schedules, masks enforced in training,
 * and a pruning run stopped (Ctrl-C) and resumed from its checkpoint exactly.
 */
import { ModelConfig, UserError } from '../models/config';
import { NO_REGULARISATION, runWindow, initialStates } from '../models/lm';
import { adamWStep, gradsLike, newAdamWState } from '../models/optim/adamw';
import { EMBEDDING, MaskSet, ParamSet, cloneParams, prunableNames } from '../models/params';
import { globalMagnitudeMasks, magnitudeMasks, prunableSparsity, pruningSchedule, sparsityByMatrix } from '../models/prune';
import { Rng } from '../models/rng';
import * as path from 'path';
import { loadModel, saveModel } from '../models/file';
import { LanguageModel } from '../models/model';
import { DEFAULT_TRAIN_SETTINGS, StoppedError, TrainSettings, applyMasks, train } from '../models/train';
import { PruneHooks, PruneRound, pruneModel, pruningState } from '../pipeline/prune';
import { fixtureConfig, randomModel } from './fixtures/model';
import { useTempDir } from './fixtures/tmp';

function totalPrunable(config: ModelConfig, params: ParamSet): number {
  return prunableNames(config).reduce((a, n) => a + params[n].data.length, 0);
}

function prunedCount(masks: MaskSet): number {
  let n = 0;
  for (const m of Object.values(masks)) for (let i = 0; i < m.length; i++) if (m[i] === 0) n++;
  return n;
}

/** Magnitudes of kept and pruned weights over all masked matrices together. */
function keptAndPruned(params: ParamSet, masks: MaskSet): { minKept: number; maxPruned: number } {
  let minKept = Infinity, maxPruned = -Infinity;
  for (const [name, m] of Object.entries(masks)) {
    const d = params[name].data;
    for (let i = 0; i < d.length; i++) {
      const a = Math.abs(d[i]);
      if (m[i]) minKept = Math.min(minKept, a);
      else maxPruned = Math.max(maxPruned, a);
    }
  }
  return { minKept, maxPruned };
}

const untied = fixtureConfig({ layers: [7, 5], emb: 6, vocabSize: 13 });
const tied = fixtureConfig({ layers: [7, 6], emb: 6, vocabSize: 13, tied: true });
const gru = fixtureConfig({ cell: 'gru', layers: [6], emb: 5, vocabSize: 9 });

describe('globalMagnitudeMasks', () => {
  it.each([
    ['untied EGRU', untied], ['tied EGRU', tied], ['GRU', gru],
  ] as const)('prunes exactly round(s·total) with one global cut (%s)', (_label, config) => {
    const { params } = randomModel(config, { seed: 4 });
    const total = totalPrunable(config, params);
    for (const s of [0, 0.1, 0.33, 0.5, 0.777, 0.9, 0.99]) {
      const masks = globalMagnitudeMasks(config, params, s);
      expect(Object.keys(masks).sort()).toEqual([...prunableNames(config)].sort());
      expect(prunedCount(masks)).toBe(Math.round(s * total));
      if (s > 0) {
        const { minKept, maxPruned } = keptAndPruned(params, masks);
        expect(maxPruned).toBeLessThanOrEqual(minKept);
      }
    }
  });

  it('prunes exactly round(s·total) when many magnitudes tie at the cut', () => {
    const { params } = randomModel(untied, { seed: 5 });
    // Quantise to three magnitudes, so every cut falls inside a large group of equal |w|.
    for (const name of prunableNames(untied)) {
      const d = params[name].data;
      for (let i = 0; i < d.length; i++) d[i] = Math.sign(d[i] || 1) * (1 + (i % 3)) * 0.125;
    }
    const total = totalPrunable(untied, params);
    for (const s of [0.2, 0.5, 0.6, 0.9]) {
      const masks = globalMagnitudeMasks(untied, params, s);
      expect(prunedCount(masks)).toBe(Math.round(s * total));
      const { minKept, maxPruned } = keptAndPruned(params, masks);
      expect(maxPruned).toBeLessThanOrEqual(minKept);
    }
  });

  it('is one threshold across matrices, not a per-matrix quota', () => {
    const { params } = randomModel(untied, { seed: 6 });
    // Make one matrix ten times larger: a global cut prunes it far less than the others.
    const big = 'layers.1.kernel';
    for (let i = 0; i < params[big].data.length; i++) params[big].data[i] *= 10;
    const masks = globalMagnitudeMasks(untied, params, 0.6);
    const cloned = cloneParams(params);
    applyMasks(cloned, masks);
    const bySparsity = Object.fromEntries(sparsityByMatrix(untied, cloned).map((m) => [m.name, m.sparsity]));
    expect(bySparsity[big]).toBeLessThan(0.1);
    for (const name of prunableNames(untied)) if (name !== big) expect(bySparsity[name]).toBeGreaterThan(0.6);
    expect(prunableSparsity(untied, cloned)).toBeCloseTo(Math.round(0.6 * totalPrunable(untied, params)) / totalPrunable(untied, params), 12);
  });

  it('never prunes the embedding (nor a tied decoder), biases or thresholds, even when they are the smallest values', () => {
    for (const config of [untied, tied]) {
      const { params } = randomModel(config, { seed: 8 });
      // Tiny values everywhere that must stay: a cut over all parameters would take these first.
      for (const [name, t] of Object.entries(params)) {
        if (name === EMBEDDING || t.shape.length === 1) for (let i = 0; i < t.data.length; i++) t.data[i] = (i % 2 ? 1 : -1) * 1e-6 * (1 + i);
      }
      const before = cloneParams(params);
      const masks = globalMagnitudeMasks(config, params, 0.8);
      expect(masks[EMBEDDING]).toBeUndefined();
      expect(Object.keys(masks).some((n) => !n.endsWith('kernel') && !n.endsWith('.weight'))).toBe(false);
      if (config.tied) expect(prunableNames(config)).not.toContain('decoder.weight');
      applyMasks(params, masks);
      for (const [name, t] of Object.entries(params)) {
        if (name === EMBEDDING || t.shape.length === 1) expect(Buffer.from(t.data.buffer)).toEqual(Buffer.from(before[name].data.buffer));
      }
      expect(prunableSparsity(config, params)).toBeGreaterThan(0.79);
    }
  });

  it('masks only grow along a schedule (with weights moving between rounds)', () => {
    const model = randomModel(untied, { seed: 9 });
    const { params } = model;
    const rng = new Rng(2);
    let previous: MaskSet | null = null;
    for (const level of pruningSchedule(0.9, 5)) {
      const masks = globalMagnitudeMasks(untied, params, level);
      if (previous) {
        for (const [name, m] of Object.entries(masks)) for (let i = 0; i < m.length; i++) if (previous[name][i] === 0) expect(m[i]).toBe(0);
        expect(prunedCount(masks)).toBeGreaterThan(prunedCount(previous));
      }
      applyMasks(params, masks);
      // "Fine-tuning": every surviving weight moves a little; pruned ones stay 0.
      for (const [name, m] of Object.entries(masks)) {
        const d = params[name].data;
        for (let i = 0; i < d.length; i++) if (m[i]) d[i] += rng.uniform(-0.02, 0.02);
      }
      previous = masks;
    }
  });

  it('matrix scope: every prunable matrix alone loses exactly round(sparsity × its size), smallest first', () => {
    const { params } = randomModel(untied, { seed: 12 });
    // Scale one matrix down: a global cut would take it first, a per-matrix one must not.
    const names = prunableNames(untied);
    params[names[0]].data.forEach((v, i, d) => (d[i] = v * 1e-3));
    const global = magnitudeMasks(untied, params, 0.7, 'global');
    const zeros = (m: Uint8Array) => m.reduce((a, v) => a + (v === 0 ? 1 : 0), 0);
    expect(zeros(global[names[0]])).toBe(global[names[0]].length); // the global cut empties the scaled matrix
    const perMatrix = magnitudeMasks(untied, params, 0.7, 'matrix');
    for (const n of names) {
      const m = perMatrix[n], d = params[n].data;
      expect(zeros(m)).toBe(Math.round(0.7 * m.length));
      let keptMin = Infinity, prunedMax = 0;
      for (let i = 0; i < d.length; i++) {
        if (m[i]) keptMin = Math.min(keptMin, Math.abs(d[i]));
        else prunedMax = Math.max(prunedMax, Math.abs(d[i]));
      }
      expect(prunedMax).toBeLessThanOrEqual(keptMin);
    }
    expect(magnitudeMasks(untied, params, 0.7)).toEqual(global);
  });

  it.each([-0.1, 1, 1.5, 2, Number.NaN])('refuses sparsity %p with a UserError', (s) => {
    const { params } = randomModel(untied);
    expect(() => globalMagnitudeMasks(untied, params, s)).toThrow(UserError);
    expect(() => globalMagnitudeMasks(untied, params, s)).toThrow(/sparsity must be in \[0, 1\)/);
  });
});

describe('pruningSchedule', () => {
  it.each([[0.9, 5, 0], [0.85, 3, 0], [0.5, 1, 0], [0.95, 4, 0.5]])('target %p in %p steps from %p: increasing, ends at the target', (target, steps, start) => {
    const levels = pruningSchedule(target, steps, start);
    expect(levels).toHaveLength(steps);
    expect(levels[0]).toBeGreaterThan(start);
    for (let i = 1; i < levels.length; i++) expect(levels[i]).toBeGreaterThan(levels[i - 1]);
    expect(levels[levels.length - 1]).toBe(target);
    // Cubic: the steps shrink towards the target.
    for (let i = 2; i < levels.length; i++) expect(levels[i] - levels[i - 1]).toBeLessThan(levels[i - 1] - levels[i - 2]);
  });

  it('refuses a bad number of steps or a target at or below the current sparsity', () => {
    expect(() => pruningSchedule(0.9, 0)).toThrow(UserError);
    expect(() => pruningSchedule(0.9, 2.5)).toThrow(UserError);
    expect(() => pruningSchedule(0.5, 3, 0.5)).toThrow(UserError);
    expect(() => pruningSchedule(0.4, 3, 0.5)).toThrow(/already 50.0% sparse/);
  });

  it.each([1, 1.2, 2, -0.5, Number.NaN])('refuses target %p up front, before any round would run', (target) => {
    // With 3 steps a target of 1 would give the levels 0.70, 0.96, 1: two rounds of pruning and fine-tuning
    // before the last one fails.
    expect(() => pruningSchedule(target, 3)).toThrow(UserError);
    expect(() => pruningSchedule(target, 3)).toThrow(/sparsity must be in \[0, 1\)/);
  });
});

describe('masks during training', () => {
  const config = fixtureConfig({ layers: [8, 6], emb: 5, vocabSize: 10 });

  function pruned(seed: number) {
    const model = randomModel(config, { seed });
    model.masks = globalMagnitudeMasks(config, model.params, 0.7);
    applyMasks(model.params, model.masks);
    return model;
  }

  it('the gradients at pruned weights are not zero, but AdamW keeps those weights exactly 0', () => {
    const model = pruned(3);
    const rng = new Rng(5);
    const B = 2, T = 6;
    const inputs = Int32Array.from({ length: T * B }, () => rng.int(config.vocabSize));
    const targets = Int32Array.from({ length: T * B }, () => rng.int(config.vocabSize));
    const grads = gradsLike(model.params);
    runWindow(config, model.params, inputs, targets, initialStates(config, B), { steps: T, batch: B, rng: null, regularisation: NO_REGULARISATION }).backward(grads);
    let nonZeroAtPruned = 0;
    for (const [name, m] of Object.entries(model.masks)) for (let i = 0; i < m.length; i++) if (!m[i] && grads[name].data[i] !== 0) nonZeroAtPruned++;
    expect(nonZeroAtPruned).toBeGreaterThan(50);
    const adam = newAdamWState(model.params);
    const before = cloneParams(model.params);
    for (let step = 0; step < 5; step++) adamWStep(model.params, grads, adam, { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1 }, 0.01, model.masks);
    for (const [name, m] of Object.entries(model.masks)) {
      const d = model.params[name].data;
      for (let i = 0; i < m.length; i++) {
        if (!m[i]) expect(d[i]).toBe(0);
        else if (grads[name].data[i] !== 0) expect(d[i]).not.toBe(before[name].data[i]);
      }
    }
  });

  it('train() keeps every pruned weight exactly 0 while the others learn', () => {
    const model = pruned(4);
    const before = cloneParams(model.params);
    const rng = new Rng(11);
    const trainIds = Int32Array.from({ length: 400 }, () => rng.int(config.vocabSize));
    const validIds = Int32Array.from({ length: 60 }, () => rng.int(config.vocabSize));
    const settings: TrainSettings = { ...DEFAULT_TRAIN_SETTINGS, batch: 4, bptt: 8, maxTokens: 320, lr: 0.01, weightDecay: 0.1, evalEvery: 3, seed: 2, clip: 1 };
    const result = train(model, trainIds, validIds, settings);
    expect(result.finished).toBe(true);
    expect(result.steps).toBe(10);
    let moved = 0, kept = 0;
    for (const [name, m] of Object.entries(model.masks)) {
      const d = model.params[name].data;
      for (let i = 0; i < m.length; i++) {
        if (!m[i]) expect(d[i]).toBe(0);
        else { kept++; if (d[i] !== before[name].data[i]) moved++; }
      }
    }
    expect(moved).toBeGreaterThan(0.9 * kept);
    expect(prunableSparsity(config, model.params)).toBeGreaterThanOrEqual(0.7 - 1e-9);
  });
});

describe('pruning stopped and resumed', () => {
  const config = fixtureConfig({ layers: [8, 6], emb: 5, vocabSize: 10 });
  const tmp = useTempDir();
  const rng = new Rng(21);
  const trainIds = Int32Array.from({ length: 400 }, () => rng.int(config.vocabSize));
  const validIds = Int32Array.from({ length: 60 }, () => rng.int(config.vocabSize));
  // Dropout on, so the fine-tuning's random stream matters; 8 steps per round, 3 rounds.
  const finetune: TrainSettings = {
    ...DEFAULT_TRAIN_SETTINGS, batch: 4, bptt: 8, maxTokens: 256, lr: 0.01, weightDecay: 0.1, evalEvery: 3, seed: 2, clip: 1,
    dropoutHidden: 0.2, constantFraction: 0,
  };
  const quiet = { finetuning: () => ({}) };
  const prune = (model: LanguageModel, hooks: PruneHooks, ft: TrainSettings | null = finetune) =>
    pruneModel(model, 0.8, 3, ft, trainIds, validIds, 'p.egru', { ...quiet, ...hooks });

  beforeAll(() => jest.spyOn(process.stderr, 'write').mockImplementation(() => true));
  afterAll(() => jest.restoreAllMocks());

  /** Prunes, stopping at the `stopAt`-th poll of shouldStop each time, through a checkpoint file in between. */
  function inPieces(stops: number[], ft: TrainSettings | null = finetune): { model: LanguageModel; rounds: PruneRound[] } {
    let model = randomModel(config, { seed: 5 });
    for (const [i, stopAt] of stops.entries()) {
      let polls = 0;
      let written = 0;
      const file = path.join(tmp(), `piece${i}.egru.ckpt`);
      expect(() => prune(model, { shouldStop: () => ++polls > stopAt, onCheckpoint: (m) => (saveModel(file, m), written++) }, ft)).toThrow(StoppedError);
      expect(written).toBe(1);
      model = loadModel(file);
      expect(pruningState(model)).toBeDefined();
    }
    const rounds = prune(model, {}, ft);
    expect(model.training).toBeUndefined();
    return { model, rounds };
  }

  it('matrix scope is kept across a checkpoint, and prunes every matrix to the level', () => {
    let model = randomModel(config, { seed: 5 });
    let polls = 0;
    const file = path.join(tmp(), 'scope.egru.ckpt');
    expect(() => pruneModel(model, 0.8, 3, finetune, trainIds, validIds, 'p.egru', {
      ...quiet, shouldStop: () => ++polls > 5, onCheckpoint: (m) => saveModel(file, m),
    }, 'matrix')).toThrow(StoppedError);
    model = loadModel(file);
    expect(pruningState(model)?.scope).toBe('matrix');
    pruneModel(model, 0.8, 3, finetune, trainIds, validIds, 'p.egru', quiet); // the checkpoint's scope wins
    for (const s of sparsityByMatrix(config, model.params)) expect(s.sparsity).toBeGreaterThanOrEqual(0.8 - 1 / s.total);
    expect(model.metrics.pruning_scope).toBe('matrix');
  });

  it.each([
    ['before the first round', [0]],
    ['mid fine-tuning', [5]],
    ['between rounds and twice more', [9, 3, 4]],
    ['at the last step of the last round', [26]],
  ])('stopping %s and resuming from the file gives the same model and rounds', (_label, stops) => {
    const straight = randomModel(config, { seed: 5 });
    const rounds = prune(straight, {});
    const pieces = inPieces(stops);
    expect(pieces.rounds).toEqual(rounds);
    expect(pieces.model.metrics).toEqual(straight.metrics);
    expect(pieces.model.provenance.steps).toBe(straight.provenance.steps);
    expect(pieces.model.masks).toEqual(straight.masks);
    for (const [name, t] of Object.entries(straight.params)) expect(pieces.model.params[name].data).toEqual(t.data);
  });

  it('one-shot pruning stops between rounds', () => {
    const straight = randomModel(config, { seed: 5 });
    const rounds = prune(straight, {}, null);
    expect(inPieces([1, 1], null).rounds).toEqual(rounds);
  });

  it('refuses a checkpoint of another schedule', () => {
    const file = path.join(tmp(), 'c.egru.ckpt');
    expect(() => prune(randomModel(config, { seed: 5 }), { shouldStop: () => true, onCheckpoint: (m) => saveModel(file, m) })).toThrow(StoppedError);
    expect(() => pruneModel(loadModel(file), 0.9, 3, finetune, trainIds, validIds, 'p.egru', quiet)).toThrow(/prunes to 0.8 in 3 rounds, not to 0.9 in 3/);
  });
});

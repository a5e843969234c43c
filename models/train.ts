/**
 * The training loop: truncated BPTT over B parallel streams, AdamW, global-norm clipping, a constant-then-
 * cosine learning rate, best-on-validation selection, and a resumable state. It does no I/O: progress,
 * checkpoints and stopping are callbacks, so the CLI decides how to show and store them. `trainSteps` is the
 * same loop as a generator that yields after every optimiser step, so that a caller can let its event loop turn
 * between steps (that is when a Ctrl-C handler runs); `train` runs it to the end in one go.
 */
import { ModelConfig, UserError } from './config';
import { LayerState } from './cells';
import { Batched, batchify, bpttWindow, inputSteps } from './data/batches';
import { initialStates, runWindow } from './lm';
import { GradientPool, unshareParams } from './parallel/pool';
import { LanguageModel, isPruningResume } from './model';
import { AdamWState, WeightDecay, adamWStep, checkWeightDecay, clipGradNorm, gradsLike, newAdamWState, zeroGrads } from './optim/adamw';
import { MaskSet, ParamSet, cloneParams } from './params';

export interface TrainSettings {
  batch: number;
  bptt: number;
  lr: number;
  /** Learning rate at the end of the cosine decay. */
  minLr: number;
  /** Fraction of steps at the constant rate before the cosine decay starts. */
  constantFraction: number;
  /** AdamW weight decay: one value, or one per recurrent layer (models/optim/adamw.ts says which tensor takes which). */
  weightDecay: WeightDecay;
  beta1: number;
  beta2: number;
  clip: number;
  dropoutEmbedding: number;
  dropoutHidden: number;
  dropoutOutput: number;
  dropConnect: number;
  activityPenalty: number;
  /**
   * Learning-rate multiplier of the thresholds. Adam moves every parameter by about the learning rate per
   * step whatever its gradient's scale, so thresholds can otherwise sink to their floor within a few hundred
   * steps (every unit then fires whenever c > 0) before weight decay has any say.
   */
  thresholdLrScale: number;
  epochs: number;
  /** Stop after this many training tokens (0: run `epochs` full passes). */
  maxTokens: number;
  /** Validation tokens per evaluation (0: the whole split). */
  validTokens: number;
  /** Evaluate every this many steps, besides each epoch end and the end (0: only those). */
  evalEvery: number;
  seed: number;
  /**
   * Data-parallel threads: the batch's streams are split among them and their gradients reduced in a fixed order
   * (models/parallel). The same seed and the same thread count give the same bytes; another count draws other
   * dropout masks and sums in another order.
   */
  threads: number;
}

/** The defaults are written once, with each setting's range, in models/settings.ts. */
export { DEFAULT_TRAIN_SETTINGS } from './settings';

export interface StepInfo {
  step: number;
  totalSteps: number;
  epoch: number;
  tokens: number;
  loss: number;
  lr: number;
  gradNorm: number;
  activity: number[];
  tokensPerSecond: number;
}

export interface EvalInfo {
  step: number;
  tokens: number;
  validLoss: number;
  validPerplexity: number;
  activity: number[];
  best: boolean;
}

export interface TrainCallbacks {
  onStep?(info: StepInfo): void;
  onEval?(info: EvalInfo): void;
  /** Called with a resumable snapshot every `checkpointSeconds` and whenever training stops early. */
  onCheckpoint?(model: LanguageModel): void;
  checkpointSeconds?: number;
  /** Polled every step; returning true stops after a checkpoint (Ctrl-C). */
  shouldStop?(): boolean;
  now?(): number;
}

/** Everything needed to resume exactly: kept in `LanguageModel.training`. */
export interface TrainingState {
  settings: TrainSettings;
  step: number;
  totalSteps: number;
  tokens: number;
  epoch: number;
  position: number;
  adam: AdamWState;
  states: { h: Float32Array; y: Float32Array }[];
  bestValidLoss: number;
  bestParams: Record<string, Float32Array> | null;
  history: EvalInfo[];
}

export interface TrainResult {
  /** True when every step ran; false when stopped early (the model then holds a resumable state). */
  finished: boolean;
  history: EvalInfo[];
  bestValidPerplexity: number;
  /** Steps and tokens of this run (over all resumed parts). */
  steps: number;
  tokens: number;
}

export function stepsPerEpoch(trainTokens: number, settings: TrainSettings): number {
  const steps = Math.floor(trainTokens / settings.batch) - 1;
  return Math.ceil(steps / settings.bptt);
}

export function totalStepsFor(trainTokens: number, settings: TrainSettings): number {
  if (settings.maxTokens > 0) return Math.max(1, Math.ceil(settings.maxTokens / (settings.batch * settings.bptt)));
  return Math.max(1, settings.epochs * stepsPerEpoch(trainTokens, settings));
}

export function learningRate(settings: TrainSettings, step: number, totalSteps: number): number {
  const flat = Math.floor(settings.constantFraction * totalSteps);
  if (step < flat) return settings.lr;
  const progress = Math.min(1, (step - flat) / Math.max(1, totalSteps - flat));
  return settings.minLr + 0.5 * (settings.lr - settings.minLr) * (1 + Math.cos(Math.PI * progress));
}

/**
 * Work that stopped at a resumable point because the user asked to (Ctrl-C): its message says where and how to
 * resume. A UserError, so the CLI prints it on one line; a sweep worker reports its point as stopped.
 */
export class StoppedError extends UserError {
  constructor(message = 'stopped at a checkpoint') {
    super(message);
    this.name = 'StoppedError';
  }
}

/** Runs a step generator (trainSteps, pruneSteps) to its end without pausing. */
export function runToEnd<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * Trains `model` in place (on exit its params are the best-on-validation ones when finished). A model whose
 * `training` record is present continues from it; otherwise a fresh state starts from `settings`.
 */
export function train(
  model: LanguageModel, trainIds: Int32Array, validIds: Int32Array, settings: TrainSettings, callbacks: TrainCallbacks = {},
): TrainResult {
  return runToEnd(trainSteps(model, trainIds, validIds, settings, callbacks));
}

/** train() as a generator that yields after every optimiser step. */
export function* trainSteps(
  model: LanguageModel, trainIds: Int32Array, validIds: Int32Array, settings: TrainSettings, callbacks: TrainCallbacks = {},
): Generator<void, TrainResult, void> {
  const config = model.config;
  if (isPruningResume(model.training)) throw new Error('trainSteps was handed a pruning checkpoint: pipeline/prune.ts resumes those');
  const state = model.training ?? freshState(model, trainIds, settings);
  const s = state.settings;
  const now = callbacks.now ?? (() => Date.now());
  const data = batchify(trainIds, s.batch, 'the training split');
  const valid = batchify(validIds, Math.min(10, Math.max(1, Math.floor(validIds.length / 2))), 'the validation split');
  const grads = gradsLike(model.params);
  const pool = new GradientPool({
    config, params: model.params, data, states: state.states, threads: s.threads ?? 1, seed: s.seed, regularisation: s,
  });
  const perEpoch = Math.ceil(inputSteps(data) / s.bptt);
  let lastCheckpoint = now();
  let windowStart = now();
  let windowTokens = 0;

  const snapshot = (): void => {
    state.states = pool.states.map((x) => ({ h: new Float32Array(x.h), y: new Float32Array(x.y) }));
    model.training = state;
    callbacks.onCheckpoint?.(model);
  };

  const evaluateNow = (): void => {
    const v = validationLoss(config, model.params, valid, s.bptt, s.validTokens);
    const best = v.loss < state.bestValidLoss;
    if (best) {
      state.bestValidLoss = v.loss;
      state.bestParams = Object.fromEntries(Object.entries(model.params).map(([n, t]) => [n, new Float32Array(t.data)]));
    }
    const info: EvalInfo = {
      step: state.step, tokens: state.tokens, validLoss: v.loss, validPerplexity: Math.exp(v.loss), activity: v.activity, best,
    };
    state.history.push(info);
    callbacks.onEval?.(info);
  };

  try {
    while (state.step < state.totalSteps) {
      if (callbacks.shouldStop?.()) {
        snapshot();
        return { finished: false, history: state.history, bestValidPerplexity: Math.exp(state.bestValidLoss), steps: state.step, tokens: state.tokens };
      }
      if (state.position >= inputSteps(data)) {
        state.position = 0;
        state.epoch++;
        for (const x of pool.states) {
          x.h.fill(0);
          x.y.fill(0);
        }
      }
      const length = Math.min(s.bptt, inputSteps(data) - state.position);
      const lr = learningRate(s, state.step, state.totalSteps);
      const r = pool.step(grads, { position: state.position, length, step: state.step });
      const gradNorm = optimiserStep(model.params, grads, state.adam, s, lr, model.masks);
      state.position += length;
      state.step++;
      const tokens = length * s.batch;
      state.tokens += tokens;
      windowTokens += tokens;
      const t = now();
      callbacks.onStep?.({
        step: state.step, totalSteps: state.totalSteps, epoch: state.epoch, tokens: state.tokens,
        loss: r.lossSum / tokens, lr, gradNorm,
        activity: r.eventsPerLayer.map((e, l) => e / (tokens * config.layers[l])),
        tokensPerSecond: windowTokens / Math.max(1e-3, (t - windowStart) / 1000),
      });
      if (t - windowStart > 10000) { windowStart = t; windowTokens = 0; }
      const epochEnd = state.step % perEpoch === 0;
      if (epochEnd || state.step === state.totalSteps || (s.evalEvery > 0 && state.step % s.evalEvery === 0)) evaluateNow();
      if (callbacks.checkpointSeconds !== undefined && t - lastCheckpoint >= callbacks.checkpointSeconds * 1000 && state.step < state.totalSteps) {
        snapshot();
        lastCheckpoint = t;
      }
      yield;
    }
  } finally {
    pool.close();
    unshareParams(model.params);
  }
  if (state.bestParams) for (const [n, d] of Object.entries(state.bestParams)) model.params[n].data.set(d);
  model.training = undefined;
  return { finished: true, history: state.history, bestValidPerplexity: Math.exp(state.bestValidLoss), steps: state.step, tokens: state.tokens };
}

function freshState(model: LanguageModel, trainIds: Int32Array, settings: TrainSettings): TrainingState {
  checkWeightDecay(settings.weightDecay, model.config.layers.length);
  return {
    settings: { ...settings },
    step: 0,
    totalSteps: totalStepsFor(trainIds.length, settings),
    tokens: 0,
    epoch: 0,
    position: 0,
    adam: newAdamWState(model.params),
    states: initialStates(model.config, settings.batch),
    bestValidLoss: Infinity,
    bestParams: null,
    history: [],
  };
}

/**
 * One update from the gradient of the batch: global-norm clipping, AdamW, thresholds kept above their floor.
 * Returns the gradient norm before clipping. Benchmarks call it too, so that they time (and train) what the
 * trainer does: a loop that skipped the threshold floor let thresholds sink below 0, every unit then fired on every
 * non-negative state, and the loss blew up past uniform (12.65 after 48 steps in an old bench run).
 */
export function optimiserStep(params: ParamSet, grads: ParamSet, adam: AdamWState, s: TrainSettings, lr: number, masks: MaskSet): number {
  const gradNorm = clipGradNorm(grads, s.clip);
  adamWStep(params, grads, adam, {
    beta1: s.beta1, beta2: s.beta2, eps: 1e-8, weightDecay: s.weightDecay, thresholdLrScale: s.thresholdLrScale ?? 1,
  }, lr, masks);
  clampThresholds(params);
  return gradNorm;
}

/** Thresholds must stay positive: ϑ ≤ 0 would make every unit fire on every non-negative state. */
const MIN_THRESHOLD = 1e-3;
function clampThresholds(params: ParamSet): void {
  for (const [name, t] of Object.entries(params)) {
    if (!name.endsWith('.thr')) continue;
    for (let i = 0; i < t.data.length; i++) if (t.data[i] < MIN_THRESHOLD) t.data[i] = MIN_THRESHOLD;
  }
}

/** Mean validation loss on B parallel streams (fast; the final batch-1 numbers come from evaluate()). */
export function validationLoss(config: ModelConfig, params: ParamSet, valid: Batched, bptt: number, maxTokens: number) {
  let states = initialStates(config, valid.batch);
  let lossSum = 0, tokens = 0;
  const events = config.layers.map(() => 0);
  for (let pos = 0; pos < inputSteps(valid); pos += bptt) {
    if (maxTokens > 0 && tokens >= maxTokens) break;
    const w = bpttWindow(valid, pos, bptt);
    const r = runWindow(config, params, w.inputs, w.targets, states, {
      steps: w.length, batch: valid.batch, rng: null,
      regularisation: { dropoutEmbedding: 0, dropoutHidden: 0, dropoutOutput: 0, dropConnect: 0, activityPenalty: 0 },
    });
    lossSum += r.lossSum;
    tokens += w.length * valid.batch;
    r.eventsPerLayer.forEach((e, l) => (events[l] += e));
    states = r.states;
  }
  return { loss: lossSum / tokens, tokens, activity: events.map((e, l) => e / (tokens * config.layers[l])) };
}

/** Params with every masked weight forced to zero (after loading or pruning). */
export function applyMasks(params: ParamSet, masks: MaskSet): void {
  for (const [name, mask] of Object.entries(masks)) {
    const d = params[name].data;
    for (let i = 0; i < d.length; i++) if (mask[i] === 0) d[i] = 0;
  }
}

export { cloneParams };

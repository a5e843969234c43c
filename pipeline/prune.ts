/**
 * Iterative magnitude pruning as a library call: prune to the next level of a cubic schedule, fine-tune, repeat;
 * resumable from a checkpoint at any fine-tuning step. `neuromap prune`, the demo and sweeps all run it; the
 * one rule for fine-tuning settings lives here (finetuneSettings).
 */
import { UserError } from '../models/config';
import { batchify } from '../models/data/batches';
import { loadModel } from '../models/file';
import { LanguageModel, isPruningResume } from '../models/model';
import { magnitudeMasks, prunableSparsity, pruningSchedule, type PruneRound, type PruneScope, type PruningState } from '../models/prune';
import {
  DEFAULT_TRAIN_SETTINGS, StoppedError, TrainCallbacks, TrainSettings, applyMasks, runToEnd, trainSteps, validationLoss,
} from '../models/train';
import { loadCheckpoint } from './training';

export type { PruneRound, PruningState } from '../models/prune';

/** How much fine-tuning follows each round: `epochs` passes, or `tokens` tokens when that is not 0; `lr` overrides the rule's rate. */
export interface FinetuneBudget {
  epochs: number;
  tokens: number;
  lr?: number;
}

/**
 * The one fine-tuning rule (prune, sweep, demo): the settings the model was trained with at half its peak and
 * final learning rates (or `lr`), no constant phase, for the budget's epochs (at least one) or tokens.
 */
export function finetuneSettings(trained: TrainSettings, budget: FinetuneBudget): TrainSettings {
  return {
    ...trained, lr: budget.lr ?? trained.lr / 2, minLr: trained.minLr / 2,
    epochs: Math.max(1, budget.epochs), maxTokens: budget.tokens, constantFraction: 0,
  };
}

/** The settings a model file says it was trained with, the defaults for any it does not record. */
export function trainedSettings(model: LanguageModel): TrainSettings {
  return { ...DEFAULT_TRAIN_SETTINGS, ...(model.provenance.settings as Partial<TrainSettings>) };
}

export interface PruningPlan {
  target: number;
  steps: number;
  finetune: TrainSettings | null;
  scope: PruneScope;
}

export interface PruneRequest {
  modelFile: string;
  target: number;
  steps: number;
  scope: PruneScope;
  /** null: one-shot pruning, no fine-tuning. */
  finetune: FinetuneBudget | null;
}

/** The most pruning rounds a run may ask for (each prunes and fine-tunes; the paper's runs use 3). */
export const MAX_PRUNE_STEPS = 100;

/** A trained model and the plan to prune it; fine-tuning follows finetuneSettings from the model's own settings. */
export function startPruning(request: PruneRequest): { model: LanguageModel; plan: PruningPlan } {
  if (request.steps > MAX_PRUNE_STEPS)
    throw new UserError(`--steps ${request.steps} is more than the ${MAX_PRUNE_STEPS} pruning rounds neuromap allows (each round prunes and fine-tunes)`);
  const model = loadModel(request.modelFile);
  if (model.training) throw new UserError(`${request.modelFile} holds an unfinished training or pruning run (a checkpoint); finish it with --resume first`);
  const finetune = request.finetune && finetuneSettings(trainedSettings(model), request.finetune);
  return { model, plan: { target: request.target, steps: request.steps, finetune, scope: request.scope } };
}

/** A checkpoint's model and plan: a resumed run keeps its settings (`sparsity`, if given, must agree). */
export function resumePruning(checkpointPath: string, given: { sparsity?: number; out: string }): { model: LanguageModel; plan: PruningPlan } {
  const model = loadCheckpoint(checkpointPath);
  const state = pruningState(model);
  if (!state) throw new UserError(`${checkpointPath} is a training checkpoint: resume it with neuromap train --out ${given.out} --resume`);
  if (given.sparsity !== undefined && given.sparsity !== state.target)
    throw new UserError(`${checkpointPath} prunes to ${state.target}, not --sparsity ${given.sparsity}: drop --sparsity (a resumed run keeps its settings) or start without --resume`);
  return { model, plan: { target: state.target, steps: state.levels.length, finetune: state.finetune, scope: state.scope } };
}

export interface PruneHooks {
  /** Polled before each round and at every fine-tuning step; true stops at a resumable point (a StoppedError). */
  shouldStop?(): boolean;
  /** Progress callbacks for the fine-tuning of round `round` (from 0) of `rounds`, at sparsity `level`. */
  finetuning?(round: number, rounds: number, level: number): Pick<TrainCallbacks, 'onStep' | 'onEval'> & { done?(): void };
  /**
   * A resumable snapshot, on a stop and every `checkpointSeconds` of fine-tuning: the model with its pruning
   * state in `training`. Write it atomically; pruneModel on the loaded snapshot continues exactly.
   */
  onCheckpoint?(model: LanguageModel): void;
  checkpointSeconds?: number;
  /** After round `round` (from 0) of `rounds` at sparsity `level` is fine-tuned and validated (roundLine says it in words). */
  onRound?(result: PruneRound, round: number, rounds: number, level: number): void;
}

/** A checkpoint's pruning state; checkpoints from before scopes existed pruned globally. */
export function pruningState(model: LanguageModel): PruningState | undefined {
  if (!isPruningResume(model.training)) return undefined;
  const saved = model.training.pruning;
  return { ...saved, scope: (saved.scope as PruneScope | undefined) ?? 'global' };
}

/**
 * Runs the schedule in place; records each round in model.metrics.pruning. A model holding a pruning state (a
 * checkpoint) continues from it. The hooks show progress, stop and checkpoint (cli/commands/prune.ts has the
 * terminal's; `{}` runs silently to the end).
 */
export function pruneModel(
  model: LanguageModel, target: number, steps: number, finetune: TrainSettings | null,
  trainIds: Int32Array, validIds: Int32Array, out: string, hooks: PruneHooks, scope: PruneScope = 'global',
): PruneRound[] {
  return runToEnd(pruneSteps(model, target, steps, finetune, trainIds, validIds, out, hooks, scope));
}

/** pruneModel as a generator that yields after every fine-tuning step (see pipeline/training.ts, untilCtrlC). */
export function* pruneSteps(
  model: LanguageModel, target: number, steps: number, finetune: TrainSettings | null,
  trainIds: Int32Array, validIds: Int32Array, out: string, hooks: PruneHooks, scope: PruneScope = 'global',
): Generator<void, PruneRound[], void> {
  const saved = pruningState(model);
  const state: PruningState = saved ?? {
    target, levels: pruningSchedule(target, steps, prunableSparsity(model.config, model.params)), finetune, scope, round: 0, masked: false, rounds: [],
  };
  if (saved && (saved.target !== target || saved.levels.length !== steps))
    throw new UserError(`this checkpoint prunes to ${saved.target} in ${saved.levels.length} rounds, not to ${target} in ${steps}`);
  model.training = isPruningResume(model.training) ? model.training.finetune : undefined;
  const valid = batchify(validIds, 10, 'the validation split');
  const rounds = state.levels.length;
  const checkpoint = () => {
    // trainSteps put its own state there (a training state: a pruning one was unwrapped above).
    const inner = isPruningResume(model.training) ? undefined : model.training;
    model.training = { pruning: state, ...(inner ? { finetune: inner } : {}) };
    try {
      hooks.onCheckpoint?.(model);
    } finally {
      model.training = inner;
    }
  };
  for (; state.round < rounds; state.round++, state.masked = false) {
    const i = state.round, level = state.levels[i];
    if (!state.masked) {
      if (hooks.shouldStop?.()) {
        checkpoint();
        throw new StoppedError(`stopped before pruning round ${i + 1}/${rounds}`);
      }
      model.masks = magnitudeMasks(model.config, model.params, level, state.scope);
      applyMasks(model.params, model.masks);
      state.masked = true;
    }
    let checked: { loss: number; activity: number[] } | undefined;
    if (state.finetune) {
      const progress = hooks.finetuning?.(i, rounds, level);
      const r = yield* trainSteps(model, trainIds, validIds, { ...state.finetune, seed: state.finetune.seed + i + 1 }, {
        ...progress, shouldStop: hooks.shouldStop, onCheckpoint: checkpoint,
        checkpointSeconds: hooks.onCheckpoint ? hooks.checkpointSeconds : undefined,
      });
      progress?.done?.();
      if (!r.finished) throw new StoppedError(`stopped in pruning round ${i + 1}/${rounds} at fine-tuning step ${r.steps}`);
      model.provenance.steps += r.steps;
      model.provenance.tokens += r.tokens;
      // Fine-tuning ends on the parameters of its best validation (models/train.ts), on the same split and budget:
      // that validation is the round's. Validating them again doubled each round's checking for the same figure.
      const best = [...r.history].reverse().find((e) => e.best);
      if (best) checked = { loss: best.validLoss, activity: best.activity };
    }
    // One-shot pruning (or a fine-tuning too short to validate) checks here, on the fine-tuning's validation budget
    // (the whole split for one-shot pruning): a round's check must not cost more than the round.
    const v = checked ?? validationLoss(model.config, model.params, valid, 35, state.finetune?.validTokens ?? 0);
    const result: PruneRound = { sparsity: prunableSparsity(model.config, model.params), validPerplexity: Math.exp(v.loss), activity: v.activity };
    state.rounds.push(result);
    hooks.onRound?.(result, i, rounds, level);
    yield;
  }
  model.training = undefined;
  model.metrics = { ...model.metrics, pruning: state.rounds, pruning_scope: state.scope, sparsity: prunableSparsity(model.config, model.params) };
  return state.rounds;
}

/** A finished round as one line: `prune: round 2/3 at 80.0% → validation perplexity 412.35`. */
export function roundLine(result: PruneRound, round: number, rounds: number, level: number): string {
  return `prune: round ${round + 1}/${rounds} at ${(100 * level).toFixed(1)}% → validation perplexity ${result.validPerplexity.toFixed(2)}`;
}

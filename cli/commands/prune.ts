import fs from 'fs';
import type { Argv, CommandModule } from 'yargs';
import { UserError } from '../../models/config';
import { loadCorpus } from '../../models/data';
import { batchify } from '../../models/data/batches';
import { loadModel, saveModel } from '../../models/file';
import { LanguageModel } from '../../models/model';
import { PRUNE_SCOPES, magnitudeMasks, prunableSparsity, pruningSchedule, type PruneScope } from '../../models/prune';
import {
  DEFAULT_TRAIN_SETTINGS, StoppedError, TrainCallbacks, TrainSettings, applyMasks, runToEnd, trainSteps, validationLoss,
} from '../../models/train';
import { commandLine } from '../../pipeline/provenance';
import { nonNegativeInt, positiveInt } from '../options';
import { Progress } from '../../format/progress';
import { loadCheckpoint, progressCallbacks, untilCtrlC } from '../../pipeline/training';
import { dataDirOf } from './train';

export const pruneCommand: CommandModule = {
  command: 'prune <model>',
  describe: 'Iterative magnitude pruning (one global threshold, or --scope matrix): prune to the next level, fine-tune, repeat up to --sparsity',
  builder: (y: Argv) =>
    y
      .positional('model', { type: 'string', demandOption: true, describe: 'Trained model (*.egru)' })
      .option('sparsity', { type: 'number', describe: 'Target fraction of prunable weights set to zero (all matrices but the embedding); required unless --resume' })
      .option('steps', { type: 'number', default: 3, describe: 'Pruning rounds (cubic schedule: big steps first)' })
      .option('scope', { choices: PRUNE_SCOPES, default: 'global' as PruneScope, describe: 'global: one magnitude threshold over all matrices (the paper’s); matrix: every matrix pruned to --sparsity by its own' })
      .option('finetune-epochs', { type: 'number', default: 1, describe: 'Fine-tuning epochs after each round (ignored with --finetune-tokens)' })
      .option('finetune-tokens', { type: 'number', default: 0, describe: 'Fine-tuning tokens after each round (0: use --finetune-epochs)' })
      .option('lr', { type: 'number', describe: 'Fine-tuning learning rate (default: half the training rate)' })
      .option('data', { type: 'string', describe: 'Corpus directory (default: the one the model was trained on)' })
      .option('out', { type: 'string', demandOption: true, describe: 'Pruned model file to write' })
      .option('resume', { type: 'boolean', default: false, describe: 'Continue from OUT.ckpt (written on Ctrl-C and every --checkpoint-seconds) exactly where a stopped run left off, with its settings' })
      .option('checkpoint-seconds', { type: 'number', default: 60, describe: 'Write a resumable checkpoint (OUT.ckpt) this often while fine-tuning' })
      .example('$0 prune m.egru --sparsity 0.85 --steps 3 --finetune-tokens 200000 --out p.egru', 'three rounds to 85%')
      .example('$0 prune m.egru --sparsity 0.5 --steps 1 --finetune-epochs 0 --out p.egru', 'one-shot pruning, no fine-tuning')
      .example('$0 prune m.egru --out p.egru --resume', 'continue a run stopped with Ctrl-C'),
  handler: async (argv) => {
    const args = argv as unknown as Record<string, unknown>;
    const out = String(args.out);
    const checkpointPath = `${out}.ckpt`;
    const { model, plan } = args.resume ? resumePruning(checkpointPath, args) : startPruning(args);
    model.provenance.commands.push(commandLine());
    const corpus = loadCorpus({ data: (args.data as string | undefined) ?? dataDirOf(model.provenance.data), vocabSize: model.vocab.length });
    if (corpus.vocab.join('\n') !== model.vocab.join('\n'))
      throw new UserError('the corpus vocabulary differs from the model’s: pass the --data it was trained on');
    const terminal = terminalPruneHooks();
    let result: PruneRound[];
    try {
      result = await untilCtrlC(terminal.log, (shouldStop) =>
        pruneSteps(model, plan.target, plan.steps, plan.finetune, corpus.train, corpus.valid, out, {
          ...terminal, shouldStop, onCheckpoint: (m) => saveModel(checkpointPath, m), checkpointSeconds: Number(args['checkpoint-seconds']),
        }, plan.scope));
    } catch (err) {
      if (err instanceof StoppedError)
        throw new StoppedError(`${err.message}. Checkpoint: ${checkpointPath}. Resume with: neuromap prune ${args.model} --out ${out} --resume`);
      throw err;
    }
    saveModel(out, model);
    fs.rmSync(checkpointPath, { force: true });
    for (const r of result) process.stdout.write(`sparsity ${(100 * r.sparsity).toFixed(1)}%: validation perplexity ${r.validPerplexity.toFixed(2)}\n`);
    process.stdout.write(`wrote ${out}\n`);
  },
};

interface PruningPlan {
  target: number;
  steps: number;
  finetune: TrainSettings | null;
  scope: PruneScope;
}

function startPruning(args: Record<string, unknown>): { model: LanguageModel; plan: PruningPlan } {
  if (args.sparsity === undefined) throw new UserError('--sparsity is required (the fraction of prunable weights to set to zero, e.g. --sparsity 0.85)');
  const model = loadModel(String(args.model));
  if (model.training) throw new UserError(`${args.model} holds an unfinished training or pruning run (a checkpoint); finish it with --resume first`);
  return {
    model,
    plan: { target: Number(args.sparsity), steps: positiveInt(args.steps, '--steps'), finetune: finetuneSettingsFromArgs(model, args), scope: args.scope as PruneScope },
  };
}

/** A checkpoint's model and plan: a resumed run keeps its settings. */
function resumePruning(checkpointPath: string, args: Record<string, unknown>): { model: LanguageModel; plan: PruningPlan } {
  const model = loadCheckpoint(checkpointPath);
  const state = pruningState(model);
  if (!state) throw new UserError(`${checkpointPath} is a training checkpoint: resume it with neuromap train --out ${args.out} --resume`);
  if (args.sparsity !== undefined && Number(args.sparsity) !== state.target)
    throw new UserError(`${checkpointPath} prunes to ${state.target}, not --sparsity ${args.sparsity}: drop --sparsity (a resumed run keeps its settings) or start without --resume`);
  return { model, plan: { target: state.target, steps: state.levels.length, finetune: state.finetune, scope: state.scope } };
}

/** The model's training settings at half the rate (or --lr), no constant phase; null without fine-tuning. */
function finetuneSettingsFromArgs(model: LanguageModel, args: Record<string, unknown>): TrainSettings | null {
  const finetuneEpochs = nonNegativeInt(args['finetune-epochs'], '--finetune-epochs');
  const finetuneTokens = nonNegativeInt(args['finetune-tokens'], '--finetune-tokens');
  if (finetuneEpochs === 0 && finetuneTokens === 0) return null;
  const base = { ...DEFAULT_TRAIN_SETTINGS, ...(model.provenance.settings as Partial<TrainSettings>) };
  return {
    ...base, lr: args.lr !== undefined ? Number(args.lr) : base.lr / 2, minLr: base.minLr / 2,
    epochs: Math.max(1, finetuneEpochs), maxTokens: finetuneTokens, constantFraction: 0,
  };
}

export interface PruneRound {
  sparsity: number;
  validPerplexity: number;
  activity: number[];
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
}

/**
 * Where an interrupted pruning run stands, kept in a checkpoint's `training.pruning` (its fine-tuning state, if
 * a round was fine-tuning, in `training.finetune`).
 */
export interface PruningState {
  target: number;
  levels: number[];
  finetune: TrainSettings | null;
  scope: PruneScope;
  /** The round in progress (from 0) and whether its masks are already applied (it is fine-tuning). */
  round: number;
  masked: boolean;
  /** The rounds finished so far. */
  rounds: PruneRound[];
}

/** A checkpoint's pruning state; checkpoints from before scopes existed pruned globally. */
export function pruningState(model: LanguageModel): PruningState | undefined {
  const saved = model.training?.pruning as (Omit<PruningState, 'scope'> & { scope?: PruneScope }) | undefined;
  return saved && { ...saved, scope: saved.scope ?? 'global' };
}

/**
 * Runs the schedule in place; records each round in model.metrics.pruning. A model holding a pruning state (a
 * checkpoint) continues from it. Without hooks (the demo) fine-tuning shows a progress bar and nothing stops it.
 */
export function pruneModel(
  model: LanguageModel, target: number, steps: number, finetune: TrainSettings | null,
  trainIds: Int32Array, validIds: Int32Array, out: string, hooks: PruneHooks = terminalPruneHooks(), scope: PruneScope = 'global',
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
  model.training = saved ? (model.training?.finetune as Record<string, unknown> | undefined) : undefined;
  const valid = batchify(validIds, 10, 'the validation split');
  const rounds = state.levels.length;
  const checkpoint = () => {
    const inner = model.training;
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
    }
    // The fine-tuning's validation budget (the whole split for one-shot pruning): a round's check must not cost
    // more than the round (it was the whole split, 107k tokens, even for 40k-token fine-tuning rounds).
    const v = validationLoss(model.config, model.params, valid, 35, state.finetune?.validTokens ?? 0);
    state.rounds.push({ sparsity: prunableSparsity(model.config, model.params), validPerplexity: Math.exp(v.loss), activity: v.activity });
    process.stderr.write(`prune: round ${i + 1}/${rounds} at ${(100 * level).toFixed(1)}% → validation perplexity ${Math.exp(v.loss).toFixed(2)}\n`);
    yield;
  }
  model.training = undefined;
  model.metrics = { ...model.metrics, pruning: state.rounds, pruning_scope: state.scope, sparsity: prunableSparsity(model.config, model.params), pruned_to: out };
  return state.rounds;
}

/** A progress bar per fine-tuning round on stderr, and `log` for messages that keep the bar intact. */
function terminalPruneHooks(): Required<Pick<PruneHooks, 'finetuning'>> & { log(message: string): void } {
  let current: Progress | null = null;
  return {
    finetuning: (_round, _rounds, level) => {
      const label = `prune ${(100 * level).toFixed(1)}%`;
      const progress = (current = new Progress(label));
      return { ...progressCallbacks(progress, label), done: () => progress.done() };
    },
    log: (message) => (current ? current.log(message) : process.stderr.write(`${message}\n`)),
  };
}

/**
 * Expands a sweep config into points. A point = a training part (everything that determines the trained model,
 * hashed into `trainKey`, which names the cached model shared by every pruning level) + a pruning level + what
 * is measured (eval tokens, targets, simulated tokens). Its `key` hashes all of it and names its result line.
 */
import { CellKind, ModelConfig, UserError } from '../models/config';
import { WeightDecay, checkWeightDecay } from '../models/optim/adamw';
import type { PruneScope } from '../models/prune';
import { InitOptions } from '../models/params';
import { TrainSettings } from '../models/train';
import type { Where } from '../compiler';
import { configFromArgs, initFromArgs, trainSettingsFromArgs } from '../pipeline/flags';
import { GridEntry, SweepConfig } from './config';
import { deriveSeed, keyOf } from './hash';

export interface TrainSpec {
  /** Absolute PTB-format directory, or undefined for the embedded Brown corpus. */
  data?: string;
  vocabSize: number;
  /** The model shape; vocabSize is the one asked for (the corpus may hold fewer words). */
  config: ModelConfig;
  /**
   * `decoderBias: 'unigram'`: the decoder bias starts at the log unigram distribution of the training split, as
   * `neuromap train` does by default; absent, at 0 (so the keys of points trained that way stay what they were).
   */
  init: Required<Omit<InitOptions, 'unigramTokens'>> & { decoderBias?: 'unigram' };
  /** Training settings; `seed` is the derived training seed. */
  settings: TrainSettings;
}

export interface PruneSpec {
  sparsity: number;
  steps: number;
  finetuneTokens: number;
  lr?: number;
  scope: PruneScope;
}

export interface SweepPoint {
  key: string;
  trainKey: string;
  /** Index in grid order (the order points are dispatched and the tie-break for the first to train). */
  index: number;
  /** Seed of this point's own random choices (fine-tuning, placement). */
  seed: number;
  /** The config's seed, from which the training and point seeds are derived. */
  configSeed: number;
  train: TrainSpec;
  prune: PruneSpec;
  evalTokens: number;
  simTokens: number;
  targets: string[];
  /** Where the decoder runs on the targets (sweep file `simulate.decoder`). */
  decoder: Where;
  /** The grid values that make this point, for tables and plots. */
  /** weight_decay: one value, or one per recurrent layer. */
  axes: { cell: CellKind; layers: number[]; weight_decay: WeightDecay; activity_penalty: number; sparsity: number; prune_scope?: PruneScope };
}

/** The most points a sweep may have: refused before anything is expanded or run (a 1 KB file can ask for millions). */
export const MAX_SWEEP_POINTS = 10_000;

export function expandGrid(config: SweepConfig): SweepPoint[] {
  const entries: GridEntry[] = config.grid;
  // Counted from the lists' lengths before a single point is made: a 300×300×300 grid took 1.3 GB in 24 s.
  const size = entries.reduce(
    (total, e) => total + [e.cell, e.layers, e['weight-decay'], e['activity-penalty'], e.sparsity].reduce((n, axis) => n * (axis?.length ?? 1), 1),
    0,
  );
  if (size > MAX_SWEEP_POINTS)
    throw new UserError(`sweep config: its grid has ${size.toLocaleString('en-US')} points, more than the ${MAX_SWEEP_POINTS.toLocaleString('en-US')} a sweep may have; split it into several sweeps`);
  const points: SweepPoint[] = [];
  const seen = new Set<string>();
  entries.forEach((entry, e) => {
    const where = config.gridIsList ? `grid.${e}` : 'grid';
    for (const cell of entry.cell ?? [config.model.cell])
      for (const layers of entry.layers ?? [config.model.layers])
        for (const weightDecay of entry['weight-decay'] ?? [config.train['weight-decay']])
          for (const activityPenalty of entry['activity-penalty'] ?? [config.train['activity-penalty']])
            for (const sparsity of entry.sparsity ?? [0]) {
              const point = makePoint(config, where, { cell, layers, weightDecay, activityPenalty, sparsity }, entry.targets ?? config.simulate.targets, points.length);
              // Two entries may name the same point; it runs once.
              if (seen.has(point.key)) continue;
              seen.add(point.key);
              points.push(point);
            }
  });
  return points;
}

interface Axes { cell: CellKind; layers: number[]; weightDecay: WeightDecay; activityPenalty: number; sparsity: number }

function makePoint(config: SweepConfig, where: string, a: Axes, targets: string[], index: number): SweepPoint {
  // The CLI's own converters build the model config and settings from flag-named values, so a sweep point
  // trains exactly what `neuromap train` with the same flags would.
  const args: Record<string, unknown> = {
    ...config.model, ...config.train, cell: a.cell, layers: a.layers.join(','),
    'weight-decay': String(a.weightDecay), 'activity-penalty': a.activityPenalty, seed: config.seed,
  };
  let model: ModelConfig;
  let settings: TrainSettings;
  try {
    model = configFromArgs(args, config['vocab-size']);
    settings = trainSettingsFromArgs(args);
    checkWeightDecay(settings.weightDecay, model.layers.length, 'weight-decay');
  } catch (err) {
    if (err instanceof UserError) throw new UserError(`sweep config, ${where} (${a.cell} ${a.layers.join(',')}): ${err.message}`);
    throw err;
  }
  if (a.cell !== 'egru' && a.activityPenalty > 0)
    throw new UserError(`sweep config, ${where}: activity-penalty applies to egru only (got ${a.activityPenalty} with cell ${a.cell}); set it to 0 for gru and lstm`);
  const spec = {
    data: config.data, vocabSize: config['vocab-size'], config: model,
    init: { ...initFromArgs(args), ...(config.model['decoder-bias-init'] === 'unigram' ? { decoderBias: 'unigram' as const } : {}) },
    settings,
  };
  const trainKey = keyOf(spec);
  const train: TrainSpec = { ...spec, settings: { ...settings, seed: deriveSeed(config.seed, trainKey) } };
  const prune: PruneSpec = { sparsity: a.sparsity, steps: config.prune.steps, finetuneTokens: config.prune['finetune-tokens'], lr: config.prune.lr, scope: config.prune.scope };
  // The global scope (the default) stays out of the key, so sweeps from before scopes existed keep theirs.
  const { scope, ...keyed } = prune;
  const evalTokens = config.eval.tokens;
  const simTokens = config.simulate.tokens;
  const decoder = config.simulate.decoder;
  // The decoder on chip (the default until sweeps took the commands' host default) stays out of the key, so points
  // simulated that way keep theirs and host points get new ones.
  const key = keyOf({
    trainKey, prune: a.sparsity > 0 ? (scope === 'global' ? keyed : prune) : { sparsity: 0 }, evalTokens, targets, simTokens: targets.length ? simTokens : null,
    ...(targets.length && decoder !== 'chip' ? { decoder } : {}),
  });
  return {
    key, trainKey, index, seed: deriveSeed(config.seed, key), configSeed: config.seed, train, prune, evalTokens, simTokens, targets, decoder,
    axes: {
      cell: a.cell, layers: a.layers, weight_decay: settings.weightDecay, activity_penalty: a.activityPenalty, sparsity: a.sparsity,
      ...(a.sparsity > 0 && scope !== 'global' ? { prune_scope: scope } : {}),
    },
  };
}

/** A short human label: `egru 8×8 wd 0.1 p50%`. */
export function pointLabel(p: SweepPoint): string {
  const x = p.axes;
  return `${x.cell} ${x.layers.join('×')} wd ${x.weight_decay}${x.activity_penalty ? ` ap ${x.activity_penalty}` : ''} p${Math.round(100 * x.sparsity)}%${x.prune_scope ? ` ${x.prune_scope}` : ''}`;
}

/**
 * Magnitude pruning of every weight matrix except the embedding (a tied decoder is the embedding and stays
 * dense). Global scope (the default, the paper's): one threshold over every prunable matrix together, so
 * layers that matter less lose more; where matrices differ in scale, one can lose almost everything (study 1:
 * at 85% the recurrent layers of a small model with a large decoder keep 1–5%). Matrix scope: each matrix is
 * pruned to the same sparsity by its own threshold. Biases and thresholds are never pruned. Masks only ever
 * grow: a pruned weight is 0, the smallest magnitude, so it stays pruned at the next level.
 */
import { ModelConfig, UserError } from './config';
import { MaskSet, ParamSet, prunableNames } from './params';
import { countNonZeros, measureWeightSparsity } from './sparsity';
import type { TrainSettings } from './train';

/** One finished pruning round: the sparsity reached and the model's validation perplexity and activity after it. */
export interface PruneRound {
  sparsity: number;
  validPerplexity: number;
  activity: number[];
}

/**
 * Where an interrupted pruning run stands, kept in a checkpoint's `training.pruning` (its fine-tuning state, if
 * a round was fine-tuning, in `training.finetune`). Checkpoints from before scopes existed have no `scope`.
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

export type PruneScope = 'global' | 'matrix';
export const PRUNE_SCOPES: readonly PruneScope[] = ['global', 'matrix'];

/** Masks at `sparsity` over all prunable matrices together (global) or over each one alone (matrix). */
export function magnitudeMasks(config: ModelConfig, params: ParamSet, sparsity: number, scope: PruneScope = 'global'): MaskSet {
  if (scope === 'global') return globalMagnitudeMasks(config, params, sparsity);
  const masks: MaskSet = {};
  for (const n of prunableNames(config)) Object.assign(masks, groupMasks([n], params, sparsity));
  return masks;
}

/**
 * Masks that prune exactly round(sparsity × total) of the prunable weights, smallest magnitudes first; ties at
 * the cut are broken by matrix order then index, so the result is deterministic.
 */
export function globalMagnitudeMasks(config: ModelConfig, params: ParamSet, sparsity: number): MaskSet {
  return groupMasks(prunableNames(config), params, sparsity);
}

/** One magnitude threshold over the matrices `names` together. */
function groupMasks(names: string[], params: ParamSet, sparsity: number): MaskSet {
  if (!(sparsity >= 0 && sparsity < 1)) throw new UserError(`sparsity must be in [0, 1) (got ${sparsity}); e.g. --sparsity 0.85`);
  let total = 0;
  for (const n of names) total += params[n].data.length;
  const all = new Float32Array(total);
  let k = 0;
  for (const n of names) for (const v of params[n].data) all[k++] = Math.abs(v);
  const prune = Math.round(sparsity * total);
  const masks: MaskSet = {};
  for (const n of names) masks[n] = new Uint8Array(params[n].data.length).fill(1);
  if (prune === 0) return masks;
  const sorted = all.slice().sort();
  const cut = sorted[prune - 1];
  let below = 0;
  for (let i = 0; i < total; i++) if (all[i] < cut) below++;
  let tiesToPrune = prune - below;
  for (const n of names) {
    const d = params[n].data, m = masks[n];
    for (let i = 0; i < d.length; i++) {
      const a = Math.abs(d[i]);
      if (a < cut) m[i] = 0;
      else if (a === cut && tiesToPrune > 0) { m[i] = 0; tiesToPrune--; }
    }
  }
  return masks;
}

/**
 * Sparsity levels of an iterative schedule to `target` in `steps` rounds, the cubic schedule of Zhu & Gupta
 * (2017): large steps first while many small weights remain, small steps near the target.
 */
export function pruningSchedule(target: number, steps: number, start = 0): number[] {
  // Checked here, before any round: a bad target would otherwise only fail at the round that reaches it.
  if (!(target >= 0 && target < 1)) throw new UserError(`sparsity must be in [0, 1) (got ${target}); e.g. --sparsity 0.85`);
  if (!(Number.isInteger(steps) && steps >= 1)) throw new UserError(`--steps must be a positive integer (got ${steps})`);
  if (target <= start) throw new UserError(`the model is already ${(start * 100).toFixed(1)}% sparse; ask for more than that (got --sparsity ${target})`);
  return Array.from({ length: steps }, (_, i) => target + (start - target) * Math.pow(1 - (i + 1) / steps, 3));
}

/** Fraction of the prunable weights that are exactly zero (one measurement, shared with import and inspect). */
export function prunableSparsity(config: ModelConfig, params: ParamSet): number {
  return measureWeightSparsity(config, params).overall;
}

/** Non-zero count and sparsity per prunable matrix, for reports. */
export function sparsityByMatrix(config: ModelConfig, params: ParamSet): { name: string; nonZeros: number; total: number; sparsity: number }[] {
  return prunableNames(config).map((name) => {
    const d = params[name].data;
    const nz = countNonZeros(d);
    return { name, nonZeros: nz, total: d.length, sparsity: 1 - nz / d.length };
  });
}

/**
 * AdamW (decoupled weight decay, Loshchilov & Hutter). Weight decay is the documented knob for EGRU
 * activity: it shrinks weights, so cell states cross their thresholds less often. Thresholds are never
 * decayed (that would lower them and raise activity). Masked (pruned) weights stay exactly zero: their
 * gradient and moments are cleared and the weight is re-zeroed after each step.
 *
 * Weight decay is one number for every tensor, or one per recurrent layer (param groups by name): layer l's
 * tensors (`layers.l.*`: kernels and biases) take the l-th value, and every tensor outside the layers (the
 * embedding, a projection, the decoder) takes the first, so raising one layer's value changes that layer only.
 */
import { formatCountOf } from '../../format/table';
import { UserError } from '../config';
import { MaskSet, ParamSet } from '../params';

/** One value for every tensor, or one per recurrent layer (see the file comment). */
export type WeightDecay = number | readonly number[];

export interface AdamWSettings {
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: WeightDecay;
  /** Learning-rate multiplier for thresholds (see TrainSettings.thresholdLrScale); default 1. */
  thresholdLrScale?: number;
}

export interface AdamWState {
  step: number;
  m: Record<string, Float32Array>;
  v: Record<string, Float32Array>;
}

export function newAdamWState(params: ParamSet): AdamWState {
  const m: Record<string, Float32Array> = {}, v: Record<string, Float32Array> = {};
  for (const [name, t] of Object.entries(params)) {
    m[name] = new Float32Array(t.data.length);
    v[name] = new Float32Array(t.data.length);
  }
  return { step: 0, m, v };
}

export function decays(name: string): boolean {
  return !name.endsWith('.thr');
}

/** The weight decay of tensor `name`: 0 for thresholds, its layer's value, or the first value outside the layers. */
export function weightDecayOf(name: string, weightDecay: WeightDecay): number {
  if (!decays(name)) return 0;
  if (typeof weightDecay === 'number') return weightDecay;
  const layer = /^layers\.(\d+)\./.exec(name);
  return weightDecay[layer ? Number(layer[1]) : 0];
}

/** A per-layer weight decay must give one value per recurrent layer. */
export function checkWeightDecay(weightDecay: WeightDecay, layers: number, flag = '--weight-decay'): void {
  if (typeof weightDecay === 'number' || weightDecay.length === layers) return;
  throw new UserError(
    `${flag} has ${formatCountOf(weightDecay.length, 'value')} (${weightDecay.join(',')}) but the model has ${formatCountOf(layers, 'recurrent layer')}: ` +
      `give one value for all, or ${layers} (one per layer, first to last)`,
  );
}

export function adamWStep(
  params: ParamSet, grads: ParamSet, state: AdamWState, settings: AdamWSettings, lr: number, masks: MaskSet,
): void {
  state.step++;
  const { beta1, beta2, eps } = settings;
  const bc1 = 1 - Math.pow(beta1, state.step);
  const bc2 = 1 - Math.pow(beta2, state.step);
  for (const [name, t] of Object.entries(params)) {
    const p = t.data, g = grads[name].data, m = state.m[name], v = state.v[name];
    const mask = masks[name];
    const decay = 1 - lr * weightDecayOf(name, settings.weightDecay);
    const stepSize = (name.endsWith('.thr') ? lr * (settings.thresholdLrScale ?? 1) : lr) / bc1;
    for (let i = 0; i < p.length; i++) {
      if (mask && mask[i] === 0) {
        p[i] = 0; m[i] = 0; v[i] = 0;
        continue;
      }
      const gi = g[i];
      const mi = (m[i] = beta1 * m[i] + (1 - beta1) * gi);
      const vi = (v[i] = beta2 * v[i] + (1 - beta2) * gi * gi);
      p[i] = p[i] * decay - (stepSize * mi) / (Math.sqrt(vi / bc2) + eps);
    }
  }
}

/** Scales all gradients so their global L2 norm is at most maxNorm; returns the norm before clipping. */
export function clipGradNorm(grads: ParamSet, maxNorm: number): number {
  let sq = 0;
  for (const t of Object.values(grads)) for (let i = 0; i < t.data.length; i++) sq += t.data[i] * t.data[i];
  const norm = Math.sqrt(sq);
  if (maxNorm > 0 && norm > maxNorm) {
    const s = maxNorm / norm;
    for (const t of Object.values(grads)) for (let i = 0; i < t.data.length; i++) t.data[i] *= s;
  }
  return norm;
}

export function zeroGrads(grads: ParamSet): void {
  for (const t of Object.values(grads)) t.data.fill(0);
}

export function gradsLike(params: ParamSet): ParamSet {
  const out: ParamSet = {};
  for (const [name, t] of Object.entries(params)) out[name] = { shape: t.shape, data: new Float32Array(t.data.length) };
  return out;
}

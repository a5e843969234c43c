/**
 * A hand-built two-layer EGRU whose every event is known, for tests of the data-parallel machinery
 * (models/parallel): vocabulary 3, embedding 2, layers of 2 and 2 units, untied decoder of zeros.
 *   Embedding rows: token 0 = [1, 0], token 1 = [0, 1], token 2 = [0, 0]. Gate order z, r, g (kernel columns
 *   0–1, 2–3, 4–5).
 *   layer 0: only W[input 0 → g of unit 0] = 3.  layer 1: only W[input 0 (layer 0's unit 0) → g of units 0 and 1] = 3.
 *   b_z = −200 in both layers (z = σ(−200) ≈ 1.4e−87, so c = (1 − z)·g + z·h is g in float32), thresholds 0.5, no
 *   recurrent weights.
 * So an input token 0 fires layer 0's unit 0 (c = tanh 3 = 0.995055, y = c, h = c − 0.5 = 0.495055) and, through
 * it, both units of layer 1 (c = tanh(3 · 0.995055) = 0.994906, h = 0.494906); tokens 1 and 2 fire nothing and
 * every state falls back to 0 (c = g = 0). Events per input: [1, 2] after a 0, [0, 0] after a 1 or a 2.
 * The decoder is all zeros: every logit is 0, every target has probability 1/3, a loss of ln 3 per token, and the
 * gradient of the mean loss on decoder bias v is (N/3 − #targets equal to v) / N over N tokens.
 */
import { ModelConfig } from '../../models/config';
import type { ParamSet } from '../../models/params';
import { zeroParams } from './arrays';

export const HAND_EGRU: ModelConfig = {
  cell: 'egru', vocabSize: 3, emb: 2, layers: [2, 2], tied: false, projection: 0, surrogateGamma: 0.3, surrogateSupport: 1,
};

/** tanh 3 and tanh(3 · tanh 3): the c (and y) of a unit that fires in layer 0 and in layer 1. */
export const C0 = 0.9950547536867305;
export const C1 = 0.9949062016530742;

export function handEgruParams(): ParamSet {
  const params = zeroParams(HAND_EGRU);
  params['embedding'].data.set([1, 0, 0, 1, 0, 0]);
  params['layers.0.kernel'].data[0 * 6 + 4] = 3;
  params['layers.1.kernel'].data.set([3, 3], 0 * 6 + 4);
  for (const l of [0, 1]) {
    params[`layers.${l}.bias`].data.set([-200, -200], 0);
    params[`layers.${l}.thr`].data.set([0.5, 0.5]);
  }
  return params;
}

/**
 * The message of the error a shard throws when its rows of the states are an empty view (states given rows for
 * fewer streams than the batch): writing its final state back, Float32Array.set past the end. Read from the
 * engine, not spelled out.
 */
export function shortStatesMessage(): string {
  try {
    new Float32Array(0).set(new Float32Array(2));
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('Float32Array.set past the end did not throw');
}

/**
 * What a core computes at its neuron update, on its accumulators (units × slots, filled by the synaptic
 * ops of the events it served) and its stored biases and thresholds (compiler/README.md, "Computing the
 * model from a map"). Plain loops on typed arrays; values leave through the population's event format.
 *
 * A unit counts as active (neuron_update_active) when it received input this step or emits; a unit with
 * nothing to integrate is charged an idle update. For an EGRU unit that is a modelling choice: its state
 * still decays, but with all accumulators at zero its gates are constants of its biases, which a core can
 * keep precomputed, so the update is a multiply-add rather than two sigmoids and a tanh.
 *
 * A threshold crossing c > ϑ > 0 is sent as at least one step of its payload, never as 0: a unit that fired
 * tells its receivers so (compiler/quantize.ts says why the scale is not chosen from the thresholds instead).
 * Any other event whose payload rounds to 0 (a small ReLU value, a crossing at c ≤ 0 under a threshold ≤ 0)
 * carries nothing: it is not sent, charged or counted (its unit still updates, and an EGRU unit still resets).
 */
import type { EventEncoding } from '../compiler';
import type { FireBuffer } from './activity';

/** Payload of a value as the receiver sees it; `step` is the smallest positive payload (0: exact, float). */
export interface Encode {
  (value: number): number;
  step: number;
}

/** The value a receiver sees: exact (float), or rounded to the payload's integers times its scale. */
export function encoder(e: EventEncoding): Encode {
  if (e.kind === 'float') return Object.assign((v: number) => v, { step: 0 });
  const bits = e.kind === 'int' ? e.bits : e.planes;
  const hi = e.signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
  const lo = e.signed ? -hi : 0;
  const scale = e.scale;
  return Object.assign((v: number) => Math.min(hi, Math.max(lo, Math.round(v / scale))) * scale, { step: scale });
}

function sigmoid(v: number): number {
  return 1 / (1 + Math.exp(-v));
}

/**
 * EGRU: z = σ(A_z + B_z), r = σ(A_r + B_r), g = tanh(A_gx + B_gx + r·(A_gh + B_gh)), c = z·h + (1 − z)·g;
 * c > ϑ: event c, h = c − ϑ (soft reset); else h = c. `h` is the units' state, carried between steps.
 */
export function egruUpdate(acc: Float32Array, bias: Float32Array, thr: Float32Array, h: Float32Array, units: number, encode: Encode, out: FireBuffer): void {
  let n = 0, active = 0, changed = 0;
  for (let u = 0; u < units; u++) {
    const a = u * 4;
    const before = h[u];
    const az = acc[a], ar = acc[a + 1], agx = acc[a + 2], agh = acc[a + 3];
    const z = sigmoid(az + bias[a]);
    const r = sigmoid(ar + bias[a + 1]);
    const g = Math.tanh(agx + bias[a + 2] + r * (agh + bias[a + 3]));
    const c = z * h[u] + (1 - z) * g;
    const th = thr[u];
    if (c > th) {
      const q = encode(c), v = q === 0 && c > 0 ? encode.step : q;
      if (v !== 0) (out.ids[n] = u), (out.values[n++] = v);
      h[u] = c - th;
      active++;
    } else {
      h[u] = c;
      if (az !== 0 || ar !== 0 || agx !== 0 || agh !== 0) active++;
    }
    if (h[u] !== before) changed++; // compared as stored (float32)
  }
  out.count = n;
  out.active = active;
  out.changed = changed;
}

/** The projection (linear, then ReLU, as in EvNN): an event where A + B > 0. */
export function reluUpdate(acc: Float32Array, bias: Float32Array, units: number, encode: Encode, out: FireBuffer): void {
  let n = 0, active = 0;
  for (let u = 0; u < units; u++) {
    const v = acc[u] + bias[u];
    const e = v > 0 ? encode(v) : 0;
    if (e !== 0) (out.ids[n] = u), (out.values[n++] = e);
    if (v > 0 || acc[u] !== 0) active++;
  }
  out.count = n;
  out.active = active;
}

/** The decoder: every unit sends its logit A + B to the host, every token. */
export function linearUpdate(acc: Float32Array, bias: Float32Array, units: number, encode: Encode, out: FireBuffer): void {
  for (let u = 0; u < units; u++) (out.ids[u] = u), (out.values[u] = encode(acc[u] + bias[u]));
  out.count = units;
  out.active = units;
}

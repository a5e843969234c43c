/**
 * Pass 2, quantize: weights, neuron parameters and events to the target's arithmetic.
 *
 * Float arithmetics keep the exact weights (the same arrays, scale 1). Integer arithmetics store
 * q = round(w / scale) in weight_bits (symmetric); the scale is a power of two, per projection when the
 * arithmetic has a per-projection scale and shared otherwise, because hardware applies it as an exponent
 * or a shift (Loihi's weight exponent, a shift after the MAC array). Thresholds and biases go to the neuron
 * state's fixed point: state_bits with a power-of-two step chosen so that the largest value an accumulator
 * can reach (|bias| + Σ|w|·largest input event) fits. Events get a payload scale from the largest value a
 * population can emit: 1 for an EGRU (c never exceeds max(1, ϑ)), the largest |value| for the embedding, the
 * accumulator bound for the ReLU projection. That scale stays an EGRU layer's even where its smallest thresholds
 * lie below half a step: a crossing c > ϑ then travels as at least one step, never as 0 (simulator/neurons.ts).
 * Scaling such a layer by its smallest threshold instead (at most 2ϑ_min, so every crossing rounds to ≥ 1) was
 * measured and rejected: on pretrained:brown-egru-p80 for loihi2 it gave a scale of 2^-9, whose top (0.498)
 * clipped the larger events, and int8 perplexity over 300 test tokens went from 199.4 (= fp32) to 267.0. Decoder outputs (logits) are read by the host at state
 * precision: host I/O, not spikes. The report gives every projection's weight error and every
 * population's threshold and bias error.
 */
import { withNotes } from './diagnostics';
import type {
  ChipProjection, EventEncoding, Lowered, NeuronValues, Population, Quantized, QuantizationReport, QuantizedNeurons,
  QuantizedWeights, WeightValues,
} from './ir';

export function quantize(ir: Lowered): Quantized {
  const arith = ir.ctx.resolved.arithmetic;
  const float = arith.numberFormat === 'float';
  const chip = ir.projections.filter((p): p is ChipProjection => p.where === 'chip');
  const report: QuantizationReport = { arithmetic: ir.ctx.arithName, numberFormat: arith.numberFormat, projections: [], populations: [] };

  const weights: (QuantizedWeights | null)[] = ir.projections.map(() => null);
  const shared = arith.perProjectionScale ? 0 : Math.max(0, ...chip.map((p) => maxAbs(p.synapses.weight)));
  for (const p of chip) {
    const bits = arith.weightBits;
    const w = p.synapses.weight;
    if (float) {
      weights[p.id] = { projection: p.id, bits, scale: 1, values: w };
      report.projections.push({ name: p.name, bits, scale: 1, rmsError: 0, maxError: 0, relativeRmsError: 0, zeroed: 0 });
      continue;
    }
    const qmax = 2 ** (bits - 1) - 1;
    const scale = powerOfTwoAtLeast((arith.perProjectionScale ? maxAbs(w) : shared) / qmax);
    const values = intArray(bits, w.length);
    const err = { sq: 0, max: 0, ref: 0, zeroed: 0 };
    for (let i = 0; i < w.length; i++) {
      const q = Math.max(-qmax, Math.min(qmax, Math.round(w[i] / scale)));
      values[i] = q;
      const e = Math.abs(q * scale - w[i]);
      err.sq += e * e;
      err.ref += w[i] * w[i];
      if (e > err.max) err.max = e;
      if (q === 0) err.zeroed++;
    }
    weights[p.id] = { projection: p.id, bits, scale, values };
    const n = Math.max(1, w.length);
    report.projections.push({
      name: p.name, bits, scale, rmsError: Math.sqrt(err.sq / n), maxError: err.max,
      relativeRmsError: err.ref > 0 ? Math.sqrt(err.sq / err.ref) : 0, zeroed: err.zeroed,
    });
  }

  // Populations in id order: every source's event bound is known before its consumers need it.
  const eventBound: number[] = [];
  const neurons: QuantizedNeurons[] = [];
  for (const pop of ir.populations) {
    const incoming = chip.filter((p) => p.to === pop.id);
    const accBound = accumulatorBound(pop, incoming, (id) => (id === pop.id ? selfBound(pop) : eventBound[id]));
    const bound = pop.kind === 'embedding' ? maxAbs(ir.model.embedding) : pop.kind === 'egru' ? selfBound(pop) : accBound;
    eventBound[pop.id] = bound;
    const range = Math.max(1, accBound, pop.kind === 'egru' ? maxAbs(pop.thr) : 0);
    const stateScale = float ? 1 : powerOfTwoAtLeast(range / 2 ** (arith.stateBits - 1));
    const event = encoding(ir, pop, bound, stateScale);
    const thr = pop.kind === 'egru' ? toState(pop.thr, stateScale, float) : null;
    const bias = pop.kind === 'embedding' ? null : toState(pop.bias, stateScale, float);
    neurons.push({ population: pop.id, event, stateScale, thr: thr?.values ?? null, bias: bias?.values ?? null });
    report.populations.push({
      name: pop.name, event, eventBound: bound, stateScale,
      thresholdMaxError: thr?.maxError ?? 0, biasMaxError: bias?.maxError ?? 0,
    });
  }

  const base = withNotes(ir, [{ pass: 'quantize', level: 'info', message: summary(report) }]);
  return { ...base, stage: 'quantized', weights, neurons, quantization: report };
}

/** The largest event an EGRU unit can emit: c = z·h + (1 − z)·g never exceeds max(1, ϑ). */
function selfBound(pop: Population): number {
  return pop.kind === 'egru' ? Math.max(1, maxAbs(pop.thr)) : 0;
}

/** max over accumulators of |bias| + Σ_j |w_j| · (largest event of source j). */
function accumulatorBound(pop: Population, incoming: ChipProjection[], sourceBound: (population: number) => number): number {
  if (pop.kind === 'embedding' || pop.where === 'host') return 0;
  const acc = new Float64Array(pop.size * pop.slots);
  for (let i = 0; i < acc.length; i++) acc[i] = Math.abs(pop.bias[i]);
  for (const p of incoming) {
    const b = sourceBound(p.from);
    const { post, weight } = p.synapses;
    for (let q = 0; q < post.length; q++) acc[post[q]] += Math.abs(weight[q]) * b;
  }
  let max = 0;
  for (let i = 0; i < acc.length; i++) if (acc[i] > max) max = acc[i];
  return max;
}

function encoding(ir: Lowered, pop: Population, bound: number, stateScale: number): EventEncoding {
  const { encoding: how, planes } = ir.ctx;
  const arith = ir.ctx.resolved.arithmetic;
  const signed = pop.kind === 'embedding' || pop.kind === 'linear';
  if (pop.kind === 'linear') return arith.numberFormat === 'float' ? { kind: 'float' } : { kind: 'int', bits: arith.stateBits, signed, scale: stateScale };
  if (how === 'bit-planes') return { kind: 'planes', planes, signed, scale: powerOfTwoAtLeast(bound / levels(planes, signed)) };
  if (arith.numberFormat === 'float') return { kind: 'float' };
  const bits = arith.eventPayloadBits;
  return { kind: 'int', bits, signed, scale: powerOfTwoAtLeast(bound / levels(bits, signed)) };
}

/** Largest integer of a payload: 2^bits − 1 unsigned, 2^(bits−1) − 1 signed. */
function levels(bits: number, signed: boolean): number {
  return signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
}

function toState(values: Float32Array, scale: number, float: boolean): { values: NeuronValues; maxError: number } {
  if (float) return { values, maxError: 0 };
  const q = new Int32Array(values.length);
  let maxError = 0;
  for (let i = 0; i < values.length; i++) {
    q[i] = Math.round(values[i] / scale);
    maxError = Math.max(maxError, Math.abs(q[i] * scale - values[i]));
  }
  return { values: q, maxError };
}

/** The smallest power of two ≥ x (1 for x ≤ 0, so an all-zero tensor keeps a usable scale). */
export function powerOfTwoAtLeast(x: number): number {
  if (!(x > 0)) return 1;
  return 2 ** Math.ceil(Math.log2(x));
}

function intArray(bits: number, n: number): WeightValues {
  return bits <= 8 ? new Int8Array(n) : bits <= 16 ? new Int16Array(n) : new Int32Array(n);
}

function maxAbs(a: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]);
    if (v > m) m = v;
  }
  return m;
}

function summary(r: QuantizationReport): string {
  if (r.numberFormat === 'float') return `${r.arithmetic}: exact weights and parameters`;
  const worst = r.projections.reduce((a, p) => Math.max(a, p.relativeRmsError), 0);
  const zeroed = r.projections.reduce((a, p) => a + p.zeroed, 0);
  return `${r.arithmetic}: worst relative RMS weight error ${(100 * worst).toFixed(2)}%, ${zeroed} non-zero weights rounded to 0 (still stored)`;
}

/**
 * Known answers for compiler/quantize.ts on a hand-made lowered map: a few populations and projections whose
 * weights, thresholds and biases are binary fractions (exact in float32), so every scale, rounding error and
 * bound below is worked out by hand. tiny's int8 arithmetic: 8-bit weights (q ≤ 127) with a power-of-two scale per
 * projection, 16-bit neuron state (q ≤ 2^15), 8-bit event payloads.
 */
import { resolveContext } from '../compiler/context';
import { powerOfTwoAtLeast, quantize } from '../compiler/quantize';
import { DEFAULT_OPTIONS } from '../compiler/pipeline';
import type { Context, Lowered, Population, Projection } from '../compiler/ir';
import type { Arithmetic } from '../targets/resolve';
import { loadTarget } from '../targets/load';
import { fixtureConfig } from './fixtures/model';

const tiny = loadTarget('tiny');

function contextOf(arith: string, change: Partial<Arithmetic> = {}): Context {
  const { ctx } = resolveContext(tiny, fixtureConfig(), { ...DEFAULT_OPTIONS, arith });
  return { ...ctx, resolved: { ...ctx.resolved, arithmetic: { ...ctx.resolved.arithmetic, ...change } } };
}

const f32 = (values: number[]) => Float32Array.from(values);

/** A chip projection: rows[j] lists (post, weight) of presynaptic unit j. */
function projection(id: number, name: string, from: number, to: number, rows: [number, number][][]): Projection {
  const rowPtr = new Int32Array(rows.length + 1);
  rows.forEach((r, j) => (rowPtr[j + 1] = rowPtr[j] + r.length));
  return {
    id, name, from, to, matrix: name, inputs: rows.length, where: 'chip',
    synapses: { rowPtr, post: Int32Array.from(rows.flat(), ([p]) => p), weight: f32(rows.flat().map(([, w]) => w)) },
  };
}

const common = (id: number, name: string, size: number, slots: number, where: 'host' | 'chip', sourceBase: number) =>
  ({ id, name, size, slots, where, sourceBase, activity: new Float32Array(size).fill(1) });

/**
 * embedding (host, 2 values, largest |value| 128) → layer0 (one EGRU unit, 4 accumulators z r gx gh, threshold
 * 3 + 1/512, itself recurrent) → decoder (2 logits, on chip or on the host). Projection 3, embedding → decoder, holds
 * no synapse at all (every weight pruned).
 */
function handLowered(ctx: Context, decoder: 'chip' | 'host' = 'chip'): Lowered {
  const populations: Population[] = [
    { ...common(0, 'embedding', 2, 1, 'host', 0), kind: 'embedding' },
    { ...common(1, 'layer0', 1, 4, 'chip', 2), kind: 'egru', layer: 0, thr: f32([3 + 1 / 512]), bias: f32([0.5, -2, 1 / 1024, 1]) },
    { ...common(2, 'decoder', 2, 1, decoder, 3), kind: 'linear', bias: decoder === 'chip' ? f32([0.25, 0]) : f32([3, -0.5]) },
  ];
  const projections: Projection[] = [
    // Embedding value 0 → z (1) and r (−77/256); value 1 → gx (1/256) and gh (1/4).
    projection(0, 'layer0.input', 0, 1, [[[0, 1], [1, -77 / 256]], [[2, 1 / 256], [3, 0.25]]]),
    projection(1, 'layer0.recurrent', 1, 1, [[[0, 0.5], [3, -2]]]),
    decoder === 'chip' ? projection(2, 'decoder', 1, 2, [[[0, 2], [1, -1]]]) : { id: 2, name: 'decoder', from: 1, to: 2, matrix: 'decoder', inputs: 1, where: 'host' },
    projection(3, 'skip', 0, 2, [[], []]),
  ];
  if (decoder === 'host') projections.pop();
  return {
    stage: 'lowered', ctx, populations, projections, sources: 5, calibrated: false, diagnostics: [],
    model: { name: 'hand', config: fixtureConfig(), vocab: [], embedding: f32([128, -3, 0.5, -127]), tensors: {}, host: {} },
  };
}

describe('weights: power-of-two scale, rounding and the error report (int8, per-projection scale)', () => {
  it('layer0.input: scale 2^-6, q = [64, −19, 0, 16], errors counted by hand', () => {
    // Largest |w| = 1: 1 / 127 = 0.00787 lies between 2^-7 (0.00781) and 2^-6: scale 2^-6 = 1/64.
    // In steps of 1/64: 1 → 64 (exact); −77/256 = −19.25 → −19 (error 1/256); 1/256 = 0.25 → 0 (error 1/256,
    // zeroed); 1/4 → 16 (exact). Squared errors 2 / 256²; RMS over 4 weights: √(2 / 65536 / 4) = 1/(256√2);
    // Σw² = (65536 + 5929 + 1 + 4096) / 65536 = 75562 / 65536, relative RMS √(2 / 75562).
    const q = quantize(handLowered(contextOf('int8')));
    expect(q.weights[0]!.scale).toBe(1 / 64);
    expect(Array.from(q.weights[0]!.values)).toEqual([64, -19, 0, 16]);
    const r = q.quantization.projections[0];
    expect(r).toMatchObject({ name: 'layer0.input', bits: 8, scale: 1 / 64, maxError: 1 / 256, zeroed: 1 });
    expect(r.rmsError).toBeCloseTo(1 / (256 * Math.SQRT2), 15);
    expect(r.relativeRmsError).toBeCloseTo(Math.sqrt(2 / 75562), 15);
  });

  it('the recurrent and decoder weights fit exactly: scale 2^-5 (2 / 127 > 2^-6), no error, none zeroed', () => {
    const q = quantize(handLowered(contextOf('int8')));
    expect(Array.from(q.weights[1]!.values)).toEqual([16, -64]);
    expect(Array.from(q.weights[2]!.values)).toEqual([64, -32]);
    for (const r of q.quantization.projections.slice(1, 3)) expect(r).toMatchObject({ scale: 1 / 32, rmsError: 0, maxError: 0, relativeRmsError: 0, zeroed: 0 });
  });

  it('a projection with no synapses keeps scale 1 and reports no error (not NaN)', () => {
    const q = quantize(handLowered(contextOf('int8')));
    expect(q.weights[3]!.values.length).toBe(0);
    expect(q.quantization.projections[3]).toEqual({ name: 'skip', bits: 8, scale: 1, rmsError: 0, maxError: 0, relativeRmsError: 0, zeroed: 0 });
  });

  it('16- and 32-bit weights are stored in arrays wide enough: 1 → 2^14 and 2^30', () => {
    // 16 bits: 1 / 32767 is just above 2^-15, so the scale is 2^-14 and w = 1 is 16384 (beyond an Int8Array).
    const q16 = quantize(handLowered(contextOf('int8', { weightBits: 16 })));
    expect(q16.weights[0]!.values).toBeInstanceOf(Int16Array);
    expect(q16.weights[0]!.values[0]).toBe(2 ** 14);
    // 32 bits: 1 / (2^31 − 1) is just above 2^-31: scale 2^-30, w = 1 is 2^30 (beyond an Int16Array).
    const q32 = quantize(handLowered(contextOf('int8', { weightBits: 32 })));
    expect(q32.weights[0]!.values).toBeInstanceOf(Int32Array);
    expect(q32.weights[0]!.values[0]).toBe(2 ** 30);
    expect(quantize(handLowered(contextOf('int8'))).weights[0]!.values).toBeInstanceOf(Int8Array);
  });

  it('summarises the worst relative RMS error and the weights rounded to 0', () => {
    // √(2 / 75562) = 0.005145: 0.51 %; one weight (1/256) rounded to 0.
    const q = quantize(handLowered(contextOf('int8')));
    expect(q.diagnostics).toContainEqual({
      pass: 'quantize', level: 'info', message: 'int8: worst relative RMS weight error 0.51%, 1 non-zero weights rounded to 0 (still stored)',
    });
    expect(quantize(handLowered(contextOf('fp32'))).diagnostics).toContainEqual({ pass: 'quantize', level: 'info', message: 'fp32: exact weights and parameters' });
  });
});

describe('neuron state and events: bounds and scales worked out by hand', () => {
  it('layer0: accumulator bound 130.0009765625 → state step 2^-7; EGRU events bounded by the threshold', () => {
    // Event bounds of the sources: the embedding's largest |value| 128; layer0's own c ≤ max(1, ϑ) = 3 + 1/512.
    // Accumulators |bias| + Σ|w|·bound: z: 0.5 + 1·128 + 0.5·(3 + 1/512) = 130.0009765625;
    // r: 2 + (77/256)·128 = 40.5; gx: 1/1024 + (1/256)·128 = 0.5009765625; gh: 1 + (1/4)·128 + 2·(3 + 1/512) = 39.00390625.
    // Range max(1, 130.00…, ϑ) = 130.00…; 130.00… / 2^15 = 0.00397 lies between 2^-8 and 2^-7: state step 2^-7.
    const q = quantize(handLowered(contextOf('int8')));
    const layer0 = q.quantization.populations[1];
    expect(layer0.stateScale).toBe(2 ** -7);
    expect(layer0.eventBound).toBe(3 + 1 / 512);
    // Unsigned 8-bit events: (3 + 1/512) / 255 = 0.01177 lies between 2^-7 and 2^-6.
    expect(layer0.event).toEqual({ kind: 'int', bits: 8, signed: false, scale: 2 ** -6 });
    // Threshold (3 + 1/512) / 2^-7 = 384.25 → 384, error 1/512. Biases in steps of 1/128: 64, −256, 1/8 → 0
    // (error 1/1024), 128.
    expect(Array.from(q.neurons[1].thr!)).toEqual([384]);
    expect(Array.from(q.neurons[1].bias!)).toEqual([64, -256, 0, 128]);
    expect(layer0.thresholdMaxError).toBe(1 / 512);
    expect(layer0.biasMaxError).toBe(1 / 1024);
  });

  it('the embedding: signed 8-bit events of its largest value 128 need scale 2 (128 / 127 > 1)', () => {
    const q = quantize(handLowered(contextOf('int8')));
    const embedding = q.quantization.populations[0];
    expect(embedding.eventBound).toBe(128);
    expect(embedding.event).toEqual({ kind: 'int', bits: 8, signed: true, scale: 2 });
    // No accumulators: range 1, state step 2^-15, nothing to round.
    expect(embedding.stateScale).toBe(2 ** -15);
    expect([embedding.thresholdMaxError, embedding.biasMaxError]).toEqual([0, 0]);
  });

  it('the decoder on chip: bound 0.25 + 2·(3 + 1/512) = 6.25390625, signed 16-bit logits at the state step 2^-12', () => {
    // Accumulators: 0.25 + 2·(3 + 1/512) = 6.25390625 and 0 + 1·(3 + 1/512); 6.2539 / 2^15 = 0.000191 lies
    // between 2^-13 and 2^-12. The projection "skip" from the embedding holds no synapse and adds nothing.
    const q = quantize(handLowered(contextOf('int8')));
    const decoder = q.quantization.populations[2];
    expect(decoder.eventBound).toBe(6.25390625);
    expect(decoder.stateScale).toBe(2 ** -12);
    expect(decoder.event).toEqual({ kind: 'int', bits: 16, signed: true, scale: 2 ** -12 });
    expect(Array.from(q.neurons[2].bias!)).toEqual([1024, 0]);
  });

  it('the decoder on the host has no accumulators on chip: range 1, state step 2^-15, whatever its biases', () => {
    // Biases 3 and −0.5 are not accumulator bounds here (the host computes the logits): range max(1, 0) = 1.
    const q = quantize(handLowered(contextOf('int8'), 'host'));
    const decoder = q.quantization.populations[2];
    expect(decoder.eventBound).toBe(0);
    expect(decoder.stateScale).toBe(2 ** -15);
    // (Its quantised biases, 3 → 3 · 2^15, would not fit 16 bits; no core holds them, so they are not pinned here.)
  });
});

describe('powerOfTwoAtLeast', () => {
  it('is 1 for 0 and for negative numbers, the next power of two otherwise', () => {
    expect(powerOfTwoAtLeast(0)).toBe(1);
    expect(powerOfTwoAtLeast(-3)).toBe(1);
    expect(powerOfTwoAtLeast(3)).toBe(4);
    expect(powerOfTwoAtLeast(0.25)).toBe(0.25);
  });
});

/**
 * Events that carry nothing: a quantised event whose payload would round to 0. A threshold crossing travels as
 * at least one step; any other event with payload 0 is not sent (so not charged). Figures worked out by hand.
 */
import { lower } from '../compiler/lower';
import { quantize } from '../compiler/quantize';
import { DEFAULT_OPTIONS } from '../compiler/pipeline';
import type { EventEncoding } from '../compiler/ir';
import { thresholdName } from '../models/params';
import { fireBuffer } from '../simulator/activity';
import { egruUpdate, encoder, reluUpdate } from '../simulator/neurons';
import { loadTarget } from '../targets/load';
import { fixtureConfig, randomModel } from './fixtures/model';

const tiny = loadTarget('tiny');

/** Layer 0's event encoding and the quantize notes for a 4-unit EGRU with the given thresholds, on tiny int8. */
function layerEvents(thresholds: number[]) {
  const model = randomModel(fixtureConfig({ emb: 4, layers: [4], vocabSize: 5 }));
  model.params[thresholdName(0)].data.set(thresholds);
  const ir = quantize(lower(model, tiny, { ...DEFAULT_OPTIONS, arith: 'int8', decoder: 'host' }));
  const layer = ir.populations.find((p) => p.kind === 'egru')!;
  return { event: ir.neurons[layer.id].event, notes: ir.diagnostics.filter((d) => d.pass === 'quantize').map((d) => d.message) };
}

describe('the event scale of an EGRU layer', () => {
  test('comes from the largest event, not from the smallest threshold (2^-7 with a threshold of 0.003)', () => {
    // tiny int8: 8-bit unsigned payload; c never exceeds max(1, ϑ) = 1: the smallest power of two ≥ 1/255 is
    // 2^-7, whatever the thresholds (a scale from the smallest one, 2^-8 here, would clip c above 255/256).
    expect(layerEvents([0.003, 0.1, 0.2, 0.4]).event).toEqual({ kind: 'int', bits: 8, signed: false, scale: 2 ** -7 });
  });
});

describe('the simulator sends no event whose payload is 0', () => {
  const int8 = (scale: number): EventEncoding => ({ kind: 'int', bits: 8, signed: false, scale });

  /** One EGRU unit with no input, z ≈ 0 (bias −50) so that c = tanh(bias_g) = `c`, at threshold `thr`, scale 2^-7. */
  function crossing(c: number, thr: number) {
    const bias = Float32Array.from([-50, 0, Math.atanh(c), 0]);
    const h = new Float32Array(1), out = fireBuffer(1);
    egruUpdate(new Float32Array(4), bias, Float32Array.from([thr]), h, 1, encoder(int8(2 ** -7)), out);
    return { h: h[0], out };
  }

  test('a crossing below half a step (0.0035 · 128 = 0.45 would round to 0) is sent as one step', () => {
    const { h, out } = crossing(0.0035, 0.003);
    expect(out.count).toBe(1);
    expect(out.values[0]).toBe(2 ** -7);
    // Soft reset by the threshold: h = c − ϑ = 0.0035 − 0.003.
    expect(h).toBeCloseTo(0.0005, 6);
  });

  test('a crossing at c ≤ 0 (threshold −0.01, c = −0.005) has payload 0 unsigned: not sent, but updated and reset', () => {
    const { h, out } = crossing(-0.005, -0.01);
    expect(out.count).toBe(0);
    expect(out.active).toBe(1);
    // h = c − ϑ = −0.005 + 0.01.
    expect(h).toBeCloseTo(0.005, 6);
  });

  test('a ReLU value below half a step is not sent; one above is', () => {
    // Scale 2^-7 = 0.0078: 0.003 → 0.38 → 0 (not sent, still an active update); 0.005 → 0.64 → 1 step.
    const out = fireBuffer(2);
    reluUpdate(new Float32Array(2), Float32Array.from([0.003, 0.005]), 2, encoder(int8(2 ** -7)), out);
    expect(out.count).toBe(1);
    expect(out.ids[0]).toBe(1);
    expect(out.values[0]).toBe(2 ** -7);
    expect(out.active).toBe(2);
  });
});

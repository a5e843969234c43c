/**
 * A core's neuron update (simulator/neurons.ts), by hand: the payload encoder's rounding and saturation, the EGRU
 * update of a few units (gates, candidate, threshold crossing, soft reset, graded event, which units count as
 * active), the ReLU projection and the linear decoder. Every answer is worked out in the comments; inputs are
 * chosen so that each term differs (σ(ln 3) = 3/4, σ(−ln 3) = 1/4, tanh(ln 3) = (9 − 1)/(9 + 1) = 0.8).
 */
import type { EventEncoding } from '../compiler';
import { fireBuffer } from '../simulator/activity';
import { egruUpdate, encoder, linearUpdate, reluUpdate } from '../simulator/neurons';

const float: EventEncoding = { kind: 'float' };
const LN3 = Math.log(3);

/** The events of a fire buffer as [unit, value] pairs. */
function events(out: ReturnType<typeof fireBuffer>): [number, number][] {
  return Array.from({ length: out.count }, (_, k) => [out.ids[k], out.values[k]]);
}

describe('encoder: the value a receiver sees', () => {
  it('float passes the value as it is; its step is 0', () => {
    const e = encoder(float);
    expect(e(0.37)).toBe(0.37);
    expect(e(-12.5)).toBe(-12.5);
    expect(e.step).toBe(0);
  });

  it('signed 4-bit integers of scale 0.25: q in −7 … 7 (2^3 − 1), rounded to the nearest step', () => {
    const e = encoder({ kind: 'int', bits: 4, signed: true, scale: 0.25 });
    expect(e.step).toBe(0.25);
    expect(e(1)).toBe(1); // q = 4
    expect(e(0.3)).toBe(0.25); // 0.3 / 0.25 = 1.2 → q = 1
    expect(e(-0.7)).toBe(-0.75); // −2.8 → q = −3
    expect(e(1.75)).toBe(1.75); // q = 7, the largest
    expect(e(100)).toBe(1.75); // saturates at q = 7, not 8 or 15
    expect(e(-100)).toBe(-1.75); // and at q = −7
  });

  it('unsigned 4-bit integers of scale 0.5: q in 0 … 15 (2^4 − 1)', () => {
    const e = encoder({ kind: 'int', bits: 4, signed: false, scale: 0.5 });
    expect(e(7.5)).toBe(7.5); // q = 15
    expect(e(100)).toBe(7.5); // saturates at q = 15, not 16 or 17
    expect(e(-3)).toBe(0); // nothing below 0
  });

  it('bit planes count their planes as bits: 3 unsigned planes hold q ≤ 7', () => {
    const e = encoder({ kind: 'planes', planes: 3, signed: false, scale: 1 });
    expect(e(5)).toBe(5);
    expect(e(9)).toBe(7);
    expect(e.step).toBe(1);
  });
});

describe('egruUpdate', () => {
  it('three units, float events: a crossing with soft reset, a decaying idle unit, a unit at rest', () => {
    // Unit 0 (accumulators and biases in slot order z, r, gx, gh):
    //   z = σ(1 + (ln 3 − 1)) = σ(ln 3) = 3/4
    //   r = σ(−1 + (1 − ln 3)) = σ(−ln 3) = 1/4
    //   g = tanh(0.25 + (ln 3 − 1) + r · (2 + 1)) = tanh(ln 3 − 0.75 + 0.75) = tanh(ln 3) = 0.8
    //   c = z · h + (1 − z) · g = 3/4 · 0.4 + 1/4 · 0.8 = 0.3 + 0.2 = 0.5 > ϑ = 0.125: event 0.5, h = 0.5 − 0.125 = 0.375.
    // Unit 1: nothing received, biases 0: z = r = 1/2, g = tanh(0) = 0, c = 1/2 · 0.6 = 0.3 ≤ ϑ = 0.5: no event,
    //   h = 0.3 (changed), idle (not active).
    // Unit 2: at rest (h = 0, nothing received): c = 0, h stays 0 (unchanged), idle.
    const acc = Float32Array.of(1, -1, 0.25, 2, 0, 0, 0, 0, 0, 0, 0, 0);
    const bias = Float32Array.of(LN3 - 1, 1 - LN3, LN3 - 1, 1, 0, 0, 0, 0, 0, 0, 0, 0);
    const thr = Float32Array.of(0.125, 0.5, 0.5);
    const h = Float32Array.of(0.4, 0.6, 0);
    const out = fireBuffer(3);
    egruUpdate(acc, bias, thr, h, 3, encoder(float), out);
    expect(out.count).toBe(1);
    expect(out.ids[0]).toBe(0);
    expect(out.values[0]).toBeCloseTo(0.5, 6);
    expect(h[0]).toBeCloseTo(0.375, 6);
    expect(h[1]).toBeCloseTo(0.3, 6);
    expect(h[2]).toBe(0);
    expect(out.active).toBe(1);
    expect(out.changed).toBe(2);
  });

  it('integer events: the graded value rounds to the payload; a crossing that rounds to 0 still sends one step', () => {
    // Signed 8-bit payload of scale 0.25. Both units receive nothing: z = 1/2, g = 0, c = h / 2.
    // Unit 0: h = 1.5 → c = 0.75 > ϑ = 0.25: q = 3, event 0.75, h = 0.5.
    // Unit 1: h = 0.1 → c = 0.05 > ϑ = 0.01, but 0.05 / 0.25 = 0.2 rounds to q = 0: sent as one step, 0.25; h = 0.04.
    const out = fireBuffer(2);
    const h = Float32Array.of(1.5, 0.1);
    egruUpdate(new Float32Array(8), new Float32Array(8), Float32Array.of(0.25, 0.01), h, 2, encoder({ kind: 'int', bits: 8, signed: true, scale: 0.25 }), out);
    expect(events(out)).toEqual([[0, 0.75], [1, 0.25]]);
    expect(h[0]).toBe(0.5);
    expect(h[1]).toBeCloseTo(0.04, 7);
    expect(out.active).toBe(2);
  });

  it('c equal to ϑ is no crossing: no event, no reset, and an idle unit stays inactive', () => {
    // Nothing received: c = 1/2 · 0.5 + 1/2 · 0 = 0.25 exactly, ϑ = 0.25: c > ϑ is false, h = 0.25.
    const out = fireBuffer(1);
    const h = Float32Array.of(0.5);
    egruUpdate(new Float32Array(4), new Float32Array(4), Float32Array.of(0.25), h, 1, encoder(float), out);
    expect(out.count).toBe(0);
    expect(h[0]).toBe(0.25);
    expect(out.active).toBe(0);
    expect(out.changed).toBe(1);
  });

  it('a crossing at c = 0 under a threshold below 0 resets the unit but sends nothing (its payload rounds to 0)', () => {
    // Nothing received, h = 0: c = 0 > ϑ = −0.5, q = 0 and c > 0 is false: no event; h = 0 − (−0.5) = 0.5; active.
    const out = fireBuffer(1);
    const h = Float32Array.of(0);
    egruUpdate(new Float32Array(4), new Float32Array(4), Float32Array.of(-0.5), h, 1, encoder({ kind: 'int', bits: 8, signed: true, scale: 0.25 }), out);
    expect(out.count).toBe(0);
    expect(h[0]).toBe(0.5);
    expect(out.active).toBe(1);
  });

  it('a unit below threshold is active when any one of its four accumulators is non-zero, idle when none is', () => {
    // One unit per call, h = 0 and ϑ = 1: |c| = |(1 − z) · g| < 1 never crosses. Only slot `slot` holds 0.5.
    const activeWith = (slot: number | null) => {
      const acc = new Float32Array(4);
      if (slot !== null) acc[slot] = 0.5;
      const out = fireBuffer(1);
      egruUpdate(acc, new Float32Array(4), Float32Array.of(1), new Float32Array(1), 1, encoder(float), out);
      expect(out.count).toBe(0);
      return out.active;
    };
    expect([0, 1, 2, 3, null].map(activeWith)).toEqual([1, 1, 1, 1, 0]);
  });
});

describe('reluUpdate', () => {
  it('an event where A + B > 0; active where A + B > 0 or A ≠ 0', () => {
    // Unit 0: A = 0, B = 0 → v = 0: no event, idle.        Unit 1: A = 0, B = −1 → v = −1: no event, idle.
    // Unit 2: A = −2, B = 1 → v = −1: no event, but it received input: active.
    // Unit 3: A = 1, B = 0.5 → v = 1.5: event 1.5, active.   Active: 2 (units 2 and 3).
    const out = fireBuffer(4);
    reluUpdate(Float32Array.of(0, 0, -2, 1), Float32Array.of(0, -1, 1, 0.5), 4, encoder(float), out);
    expect(events(out)).toEqual([[3, 1.5]]);
    expect(out.active).toBe(2);
  });

  it('a positive value that rounds to 0 sends nothing but its unit is active', () => {
    // v = 0.1, scale 0.5: 0.2 rounds to q = 0.
    const out = fireBuffer(1);
    reluUpdate(Float32Array.of(0.1), Float32Array.of(0), 1, encoder({ kind: 'int', bits: 8, signed: false, scale: 0.5 }), out);
    expect(out.count).toBe(0);
    expect(out.active).toBe(1);
  });
});

describe('linearUpdate', () => {
  it('every unit sends A + B, and nothing past its units is written (the buffer is scratch of a larger capacity)', () => {
    // Unit 0: 1 + 0.5 = 1.5; unit 1: −2 + 0.25 = −1.75. Entry 2 of the buffer keeps what it held.
    const out = fireBuffer(3);
    out.ids[2] = -1;
    out.values[2] = 99;
    linearUpdate(Float32Array.of(1, -2, 7), Float32Array.of(0.5, 0.25, 7), 2, encoder(float), out);
    expect(events(out)).toEqual([[0, 1.5], [1, -1.75]]);
    expect(out.active).toBe(2);
    expect([out.ids[2], out.values[2]]).toEqual([-1, 99]);
  });
});

/**
 * The recurrent cells (models/cells) called directly on layers of one or two units whose every gate is chosen by
 * hand, so that each output, state, event, membrane change, `need` entry and gradient is a known number.
 *
 * Saturated gates make a value exact: σ(1000) = 1/(1 + e^−1000) = 1 and σ(−1000) = 1/(1 + e^1000) = 1/∞ = 0 in
 * float64, so an EGRU/GRU unit with b_z = 1000 has c = h' exactly and one with b_z = −1000 has c = g exactly.
 * Other gates are read off pre-activations 0, ln 2 and ln 3: σ(0) = 1/2, tanh(ln 2) = 3/5, tanh(ln 3) = 4/5.
 *
 * Layout (models/cells/types.ts): kernel [in, G·H] and recurrent kernel [H, G·H] input-major, gate blocks of H
 * columns each, in the order z, r, g (EGRU, GRU) and i, f, g, o (LSTM); rows of x and y are t·B + b.
 */
import { LayerTensors, WindowInput } from '../models/cells';
import { egruForward, gruForward } from '../models/cells/gru-family';
import { lstmForward } from '../models/cells/lstm';
import { activeSet } from '../models/kernels/active';
import { expectClose, rows } from './helpers/arrays';

const LN2 = Math.log(2), LN3 = Math.log(3);

function zeroLayer(inputs: number, hidden: number, gates: number, thresholds: boolean): LayerTensors {
  const G = gates * hidden;
  return {
    kernel: new Float32Array(inputs * G), recurrentKernel: new Float32Array(hidden * G),
    bias: new Float32Array(G), recurrentBias: new Float32Array(G),
    ...(thresholds ? { thr: new Float32Array(hidden) } : {}),
  };
}

function windowOf(x: number[], inputs: number, steps: number, batch: number): WindowInput {
  const values = Float32Array.from(x);
  return { x: values, active: activeSet(values, steps * batch, inputs), steps, batch };
}

/** A row set as one list of unit indices per row. */

describe('EGRU, two units, batch 2, two steps: events, soft reset, membrane changes, need', () => {
  // Gate columns z0 z1 r0 r1 g0 g1. No recurrent weights (preH = 0), so r does not matter and g = tanh(preX_g).
  //   unit 0: b_z = −1000 → z = 0, c = g = tanh(ln 3 − 2 ln 3 · x): 4/5 on x = 0, −4/5 on x = 1; ϑ = 0.5.
  //   unit 1: b_z = +1000 → z = 1, c = h' (its carried state, never changed); ϑ = 0.
  // Input x: 0 in batch row 0, 1 in batch row 1, at both steps. Carried h: row 0 (0, −0.25), row 1 (0, 0.5).
  //   (t0, b0) u0: c = 0.8 > 0.5 fires, y = 0.8, h = 0.8 − 0.5 = 0.3 (was 0: changed)
  //            u1: c = −0.25 ≤ 0, silent, h = c = −0.25 (unchanged)                     → 1 change
  //   (t0, b1) u0: c = −0.8 ≤ 0.5, silent, h = −0.8 (was 0: changed)
  //            u1: c = 0.5 > 0 fires, y = 0.5, h = 0.5 − 0 = 0.5 (unchanged)             → 1 change
  //   (t1, b0) u0: c = 0.8 fires again, h = 0.3 as before (unchanged); u1 as at t0      → 0 changes
  //   (t1, b1) u0: c = −0.8 silent, h = −0.8 as before (unchanged); u1 as at t0         → 0 changes
  // (h is compared as stored, in float32: 0.8 − 0.5 and −0.8 round to the same float32 at both steps.)
  function run(gamma: number, support: number) {
    const p = zeroLayer(1, 2, 3, true);
    p.bias.set([-1000, 1000, 0, 0, LN3, 0]);
    p.kernel[4] = -2 * LN3; // x → g0
    p.thr!.set([0.5, 0]);
    const state = { h: Float32Array.from([0, -0.25, 0, 0.5]), y: new Float32Array(4) };
    return egruForward(p, windowOf([0, 1, 0, 1], 1, 2, 2), state, { inputSize: 1, hidden: 2, gamma, support });
  }

  it('outputs, events, final state and the recurrent inputs', () => {
    const f = run(0, 1);
    expectClose(f.y, [0.8, 0, 0, 0.5, 0.8, 0, 0, 0.5]);
    expect(f.events).toBe(4);
    expect(rows(f.active)).toEqual([[0], [1], [0], [1]]);
    expectClose(f.finalState.h, [0.3, -0.25, -0.8, 0.5]);
    expectClose(f.finalState.y, [0.8, 0, 0, 0.5]);
    // y_{t−1} for each row: the carried-in y (zeros), then step 0's outputs.
    expectClose(f.recurrentValues, [0, 0, 0, 0, 0.8, 0, 0, 0.5]);
    expect(rows(f.recurrentActive)).toEqual([[], [], [0], [1]]);
  });

  it('membrane changes count, per row, the units whose h differs from the carried-in h (fired or not)', () => {
    expect(Array.from(run(0, 1).membraneChanges!)).toEqual([1, 1, 0, 0]);
  });

  it('need holds the fired units, and with γ > 0 the silent ones with s·|c − ϑ| < 1', () => {
    // γ = 0: no surrogate, only the events pass a gradient.
    expect(rows(run(0, 1).need)).toEqual([[0], [1], [0], [1]]);
    // γ = 0.3, s = 1: unit 1 in row 0 is at |−0.25 − 0| = 0.25 < 1 (in); unit 0 in row 1 at |−0.8 − 0.5| = 1.3 (out).
    expect(rows(run(0.3, 1).need)).toEqual([[0, 1], [1], [0, 1], [1]]);
    // s = 4: unit 1 in row 0 is at 4 · 0.25 = 1 exactly, not inside (the support is open).
    expect(rows(run(0.3, 4).need)).toEqual([[0], [1], [0], [1]]);
  });
});

describe('EGRU, one unit with c exactly at its threshold', () => {
  // b_z = −1000 → z = 0; b_g = 0 and x = 0 → c = g = tanh 0 = 0. r = σ(0) = 1/2, no recurrent input (hg = 0).
  function run(threshold: number) {
    const p = zeroLayer(1, 1, 3, true);
    p.bias[0] = -1000;
    p.thr![0] = threshold;
    const f = egruForward(p, windowOf([0], 1, 1, 1), { h: new Float32Array(1), y: new Float32Array(1) }, {
      inputSize: 1, hidden: 1, gamma: 0.5, support: 1,
    });
    const grads = zeroLayer(1, 1, 3, true);
    f.backward(Float32Array.from([1]), grads, null, null, 0);
    return { f, grads };
  }

  it('c = ϑ = 0 is no event, and dL/dy = 1 reaches nothing: the surrogate path is c·σ\' = 0', () => {
    const { f, grads } = run(0);
    expect(f.events).toBe(0);
    expect(rows(f.active)).toEqual([[]]);
    expect(Array.from(f.membraneChanges!)).toEqual([0]);
    // o = 0, σ' = γ = 0.5: dc = dy·(o + c·σ') + dh·(1 − ϑσ') = 1·(0 + 0) + 0 = 0, so every gradient is 0.
    expect(Array.from(grads.bias)).toEqual([0, 0, 0]);
    expect(Array.from(grads.recurrentBias)).toEqual([0, 0, 0]);
    expect(Array.from(grads.thr!)).toEqual([0]);
  });

  it('with ϑ = −0.25 the same c = 0 fires, and dL/dy flows through y = c into the candidate g', () => {
    const { f, grads } = run(-0.25);
    expect(f.events).toBe(1);
    expect(rows(f.active)).toEqual([[0]]);
    // o = 1: dc = 1·(1 + 0·σ') = 1. dz = dc·(h' − g) = 0; d(pre g) = dc·(1 − z)·(1 − g²) = 1; dr = d(pre g)·hg = 0.
    // The recurrent bias of g enters as r·(R_g y' + br_g): its gradient is r · 1 = 1/2.
    // dϑ = −dy·c·σ' + dh·(ϑσ' − o) = −1·0·σ' + 0 = 0.
    expectClose(grads.bias, [0, 0, 1]);
    expectClose(grads.recurrentBias, [0, 0, 0.5]);
    expect(Array.from(grads.thr!)).toEqual([0]);
  });
});

describe('EGRU without thresholds, and the dense GRU', () => {
  it('an EGRU layer with no thresholds is refused by name; a GRU layer needs none', () => {
    const p = zeroLayer(1, 1, 3, false);
    const options = { inputSize: 1, hidden: 1, gamma: 0, support: 1 };
    const state = () => ({ h: new Float32Array(1), y: new Float32Array(1) });
    expect(() => egruForward(p, windowOf([0], 1, 1, 1), state(), options)).toThrow(new Error('EGRU layer without thresholds'));
    expect(gruForward(p, windowOf([0], 1, 1, 1), state(), options).events).toBe(1);
  });

  it('a GRU output of exactly 0 is not an active input of the next product; every unit counts as an event', () => {
    // Two units, one step, x = 0: b_z = −1000 for both (z = 0, c = g), b_g = (0, ln 3): c = (tanh 0, tanh ln 3) = (0, 0.8).
    const p = zeroLayer(1, 2, 3, false);
    p.bias.set([-1000, -1000, 0, 0, 0, LN3]);
    const f = gruForward(p, windowOf([0], 1, 1, 1), { h: new Float32Array(2), y: new Float32Array(2) }, {
      inputSize: 1, hidden: 2, gamma: 0, support: 1,
    });
    expectClose(f.y, [0, 0.8]);
    expect(rows(f.active)).toEqual([[1]]);
    expect(f.events).toBe(2);
    expect(rows(f.need)).toEqual([[0, 1]]);
    expect(f.membraneChanges).toBeNull();
  });

  it('GRU backward, one step, two units: gate gradients from dL/dy = 1', () => {
    // z = r = σ(0) = 1/2, b_g = (ln 3, ln 2) → g = (0.8, 0.6), h' = 0, x = 0, no recurrent weights (hg = 0).
    //   c = z·h' + (1 − z)·g = (0.4, 0.3). Dense: y = h = c, so dc = dy = 1 (nothing carried back after one step).
    //   d(pre z) = dc·(h' − g)·z(1 − z) = −g/4 = (−0.2, −0.15)
    //   d(pre g) = dc·(1 − z)·(1 − g²) = ½·(0.36, 0.64) = (0.18, 0.32);  d(pre r) = d(pre g)·hg = 0
    //   the recurrent bias of g enters through r·(R_g y' + br_g): (0.18, 0.32)·r = (0.09, 0.16)
    const p = zeroLayer(1, 2, 3, false);
    p.bias.set([0, 0, 0, 0, LN3, LN2]);
    const f = gruForward(p, windowOf([0], 1, 1, 1), { h: new Float32Array(2), y: new Float32Array(2) }, {
      inputSize: 1, hidden: 2, gamma: 0, support: 1,
    });
    expectClose(f.y, [0.4, 0.3]);
    const grads = zeroLayer(1, 2, 3, false);
    f.backward(Float32Array.from([1, 1]), grads, null, null, 0);
    expectClose(grads.bias, [-0.2, -0.15, 0, 0, 0.18, 0.32]);
    expectClose(grads.recurrentBias, [-0.2, -0.15, 0, 0, 0.09, 0.16]);
  });
});

describe('LSTM, two units, batch 2, three steps: every output and state', () => {
  // Gate columns i0 i1 f0 f1 g0 g1 o0 o1. Biases: i, f, o at 0 (each 1/2) but for the input weight below;
  // b_g = (ln 3, ln 2) → g = (0.8, 0.6) while nothing else reaches it.
  //   x → o1 = −1000: x = 1 (steps 0 and 2, both rows) closes unit 1's output gate exactly (o1 = 0); x = 0 at step 1.
  //   R[h1 → g0] = 1: unit 1's previous output adds to unit 0's candidate.
  // Carried state: h = 0 everywhere; c = (0, 0) in row 0, (1, 0) in row 1.
  //   c = f·c' + i·g = c'/2 + g/2, h = o·tanh(c).
  //   t0 b0: u0 c = 0 + 0.4 = 0.4, h = ½ tanh 0.4 = ½ · 0.379949 = 0.189974; u1 c = 0.3, h = 0 · tanh 0.3 = 0
  //   t0 b1: u0 c = 0.5 + 0.4 = 0.9, h = ½ tanh 0.9 = ½ · 0.716298 = 0.358149; u1 c = 0.3, h = 0
  //   t1 (h1' = 0, so g0 = 0.8): b0 u0 c = 0.2 + 0.4 = 0.6, h = ½ · 0.537050 = 0.268525;
  //                              u1 c = 0.15 + 0.3 = 0.45, h = ½ · 0.421899 = 0.210950
  //                           b1 u0 c = 0.45 + 0.4 = 0.85, h = ½ · 0.691069 = 0.345535; u1 as in b0
  //   t2: g0 = tanh(ln 3 + 0.210950) = tanh 1.309562 = 0.864164 in both rows
  //       b0 u0 c = 0.3 + 0.432082 = 0.732082, h = ½ · 0.624338 = 0.312169; u1 c = 0.225 + 0.3 = 0.525, h = 0 (o1 = 0)
  //       b1 u0 c = 0.425 + 0.432082 = 0.857082, h = ½ · 0.694751 = 0.347376; u1 as in b0
  function run() {
    const p = zeroLayer(1, 2, 4, false);
    p.bias.set([0, 0, 0, 0, LN3, LN2, 0, 0]);
    p.kernel[7] = -1000; // x → o1
    p.recurrentKernel[1 * 8 + 4] = 1; // h1 → g0
    const state = { h: new Float32Array(4), y: Float32Array.from([0, 0, 1, 0]) };
    return lstmForward(p, windowOf([1, 1, 0, 0, 1, 1], 1, 3, 2), state, { inputSize: 1, hidden: 2, gamma: 0, support: 1 });
  }

  it('outputs and the final h and c', () => {
    const f = run();
    expectClose(f.y, [
      0.189974, 0, 0.358149, 0,
      0.268525, 0.210950, 0.345535, 0.210950,
      0.312169, 0, 0.347376, 0,
    ]);
    expectClose(f.finalState.h, [0.312169, 0, 0.347376, 0]);
    // The carried state holds c in its `y` slot.
    expectClose(f.finalState.y, [0.732082, 0.525, 0.857082, 0.525]);
  });

  it('active outputs leave out unit 1 at steps 0 and 2 (h = 0 exactly); every unit every step is an event', () => {
    const f = run();
    expect(rows(f.active)).toEqual([[0], [0], [0, 1], [0, 1], [0], [0]]);
    expect(f.active.idx.length).toBe(8);
    expect(f.events).toBe(12);
    expect(rows(f.need)).toEqual([[0, 1], [0, 1], [0, 1], [0, 1], [0, 1], [0, 1]]);
    expect(f.membraneChanges).toBeNull();
    // y_{t−1} per row: the carried h (zeros, none active), then steps 0 and 1.
    expect(rows(f.recurrentActive)).toEqual([[], [], [0], [0], [0, 1], [0, 1]]);
  });
});

describe('LSTM backward, one step, two units', () => {
  it('gate gradients of each unit from dL/dh = 1', () => {
    // i = f = o = σ(0) = 1/2; b_g = (ln 3, 0) → g = (0.8, 0); carried c' = (0, 2 ln 2), h' = 0; x = 0.
    //   u0: c = 0.4, tanh c = 0.379949;  u1: c = ln 2, tanh c = 3/5.
    // With dh = 1 and nothing carried back: dC = dh·o·(1 − tanh² c) = ½ (1 − 0.144361) = 0.427819 (u0), ½ · 0.64 = 0.32 (u1).
    //   d(pre i) = dC·g·i(1 − i):  u0 0.427819 · 0.8 · ¼ = 0.085564;  u1 0 (g = 0)
    //   d(pre f) = dC·c'·f(1 − f): u0 0 (c' = 0);                     u1 0.32 · 2 ln 2 · ¼ = 0.16 ln 2 = 0.110904
    //   d(pre g) = dC·i·(1 − g²):  u0 0.427819 · ½ · 0.36 = 0.077007; u1 0.32 · ½ = 0.16
    //   d(pre o) = dh·tanh c·o(1 − o): u0 0.379949 · ¼ = 0.094987;   u1 0.6 · ¼ = 0.15
    const p = zeroLayer(1, 2, 4, false);
    p.bias.set([0, 0, 0, 0, LN3, 0, 0, 0]);
    const state = { h: new Float32Array(2), y: Float32Array.from([0, 2 * LN2]) };
    const f = lstmForward(p, windowOf([0], 1, 1, 1), state, { inputSize: 1, hidden: 2, gamma: 0, support: 1 });
    expectClose(f.y, [0.189974, 0.3]);
    const grads = zeroLayer(1, 2, 4, false);
    f.backward(Float32Array.from([1, 1]), grads, null, null, 0);
    const expected = [0.085564, 0, 0, 0.110904, 0.077007, 0.16, 0.094987, 0.15];
    expectClose(grads.bias, expected);
    // Input and recurrent pre-activations are summed before the gates: the same gradient.
    expectClose(grads.recurrentBias, expected);
  });
});

/**
 * Magnitude pruning (models/prune.ts) and the weight-sparsity measurement (models/sparsity.ts) on a model of eight
 * prunable weights, every mask and figure worked out by hand.
 *
 * One GRU unit, vocabulary 2, embedding 1, untied: the prunable matrices, in order, are
 *   layers.0.kernel [1, 3]            = [0.3, −0.1, 0.2]
 *   layers.0.recurrent_kernel [1, 3]  = [−0.4, 0.1, 0.05]
 *   decoder.weight [1, 2]             = [0.2, −0.6]
 * (the embedding, biases are not prunable; they are set to tiny values a cut over everything would take first).
 * Magnitudes sorted: 0.05, 0.1, 0.1, 0.2, 0.2, 0.3, 0.4, 0.6 (float32, the two 0.1s and the two 0.2s equal).
 *
 * Mutants left alive, equivalent: `if (prune === 0) return masks` made false (with prune = 0 the cut is
 * sorted[−1] = undefined, every comparison with it is false and every weight is kept, the same masks); the loops
 * `i <= total` counting `below` and `i <= d.length` over a matrix (the extra read is undefined, compares false
 * with the cut and equal to nothing, and the extra mask write is past a typed array's end, ignored); `all.sort()`
 * for `all.slice().sort()` (sorting `all` in place only reorders it, and `below` counts it in any order).
 */
import { ModelConfig, UserError } from '../models/config';
import { ParamSet } from '../models/params';
import { globalMagnitudeMasks, magnitudeMasks, prunableSparsity, pruningSchedule, sparsityByMatrix } from '../models/prune';
import { countNonZeros, measureWeightSparsity } from '../models/sparsity';
import { zeroParams } from './helpers/arrays';

const gru1: ModelConfig = {
  cell: 'gru', vocabSize: 2, emb: 1, layers: [1], tied: false, projection: 0, surrogateGamma: 0, surrogateSupport: 1,
};
const K = 'layers.0.kernel', R = 'layers.0.recurrent_kernel', D = 'decoder.weight';

function model(): ParamSet {
  const p = zeroParams(gru1);
  p[K].data.set([0.3, -0.1, 0.2]);
  p[R].data.set([-0.4, 0.1, 0.05]);
  p[D].data.set([0.2, -0.6]);
  for (const [name, t] of Object.entries(p)) if (name !== K && name !== R && name !== D) t.data.fill(1e-6);
  return p;
}

const asArrays = (m: Record<string, Uint8Array>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, Array.from(v)]));

describe('global magnitude masks on eight weights', () => {
  it('sparsity 0.25: round(2) = 2 pruned; cut 0.1, one below it, the tie goes to the first 0.1 in matrix order', () => {
    expect(asArrays(globalMagnitudeMasks(gru1, model(), 0.25))).toEqual({ [K]: [1, 0, 1], [R]: [1, 1, 0], [D]: [1, 1] });
  });

  it('sparsity 0.3125: round(2.5) = 3 pruned; cut 0.1, one below, both 0.1s go (kernel[1], then recurrent[1])', () => {
    expect(asArrays(globalMagnitudeMasks(gru1, model(), 0.3125))).toEqual({ [K]: [1, 0, 1], [R]: [1, 0, 0], [D]: [1, 1] });
  });

  it('sparsity 0.5: 4 pruned; cut 0.2 with three below it, the tie to kernel[2], decoder[0] (also 0.2) kept', () => {
    expect(asArrays(globalMagnitudeMasks(gru1, model(), 0.5))).toEqual({ [K]: [1, 0, 0], [R]: [1, 0, 0], [D]: [1, 1] });
  });

  it('sparsity 0.75: 6 pruned; cut 0.3, five below: only −0.4 and −0.6 kept', () => {
    expect(asArrays(globalMagnitudeMasks(gru1, model(), 0.75))).toEqual({ [K]: [0, 0, 0], [R]: [1, 0, 0], [D]: [0, 1] });
  });

  it('sparsity 0.99: round(7.92) = 8, everything pruned; sparsity 0 (and 0.05: round(0.4) = 0) nothing', () => {
    expect(asArrays(globalMagnitudeMasks(gru1, model(), 0.99))).toEqual({ [K]: [0, 0, 0], [R]: [0, 0, 0], [D]: [0, 0] });
    expect(asArrays(globalMagnitudeMasks(gru1, model(), 0))).toEqual({ [K]: [1, 1, 1], [R]: [1, 1, 1], [D]: [1, 1] });
    expect(asArrays(globalMagnitudeMasks(gru1, model(), 0.05))).toEqual({ [K]: [1, 1, 1], [R]: [1, 1, 1], [D]: [1, 1] });
  });

  it('magnitudeMasks defaults to the global scope', () => {
    expect(asArrays(magnitudeMasks(gru1, model(), 0.5))).toEqual({ [K]: [1, 0, 0], [R]: [1, 0, 0], [D]: [1, 1] });
    expect(asArrays(magnitudeMasks(gru1, model(), 0.5, 'global'))).toEqual({ [K]: [1, 0, 0], [R]: [1, 0, 0], [D]: [1, 1] });
  });
});

describe('matrix-scope masks', () => {
  it('sparsity 0.5: each matrix alone, kernel round(1.5) = 2, recurrent 2, decoder round(1) = 1', () => {
    // kernel |0.3, 0.1, 0.2|: prune 0.1, 0.2; recurrent |0.4, 0.1, 0.05|: prune 0.05, 0.1; decoder |0.2, 0.6|: 0.2.
    expect(asArrays(magnitudeMasks(gru1, model(), 0.5, 'matrix'))).toEqual({ [K]: [1, 0, 0], [R]: [1, 0, 0], [D]: [0, 1] });
  });

  it('sparsity 0.2: kernel and recurrent round(0.6) = 1 each, decoder round(0.4) = 0', () => {
    expect(asArrays(magnitudeMasks(gru1, model(), 0.2, 'matrix'))).toEqual({ [K]: [1, 0, 1], [R]: [1, 1, 0], [D]: [1, 1] });
  });

  it('refuses a sparsity outside [0, 1) with the flag named', () => {
    expect(() => magnitudeMasks(gru1, model(), 1, 'matrix')).toThrow(UserError);
    expect(() => magnitudeMasks(gru1, model(), -0.01, 'matrix')).toThrow('sparsity must be in [0, 1) (got -0.01); e.g. --sparsity 0.85');
  });
});

describe('pruningSchedule: target + (start − target)·(1 − i/steps)³', () => {
  it('0.9 in 3 steps from 0: 0.9·(1 − 8/27) = 0.6333…, 0.9·(1 − 1/27) = 0.8666…, 0.9', () => {
    const levels = pruningSchedule(0.9, 3);
    expect(levels).toHaveLength(3);
    expect(levels[0]).toBeCloseTo(0.9 * 19 / 27, 12);
    expect(levels[1]).toBeCloseTo(0.9 * 26 / 27, 12);
    expect(levels[2]).toBe(0.9);
  });

  it('0.9 in 2 steps from 0.5: 0.9 − 0.4/8 = 0.85, then 0.9; in one step just the target', () => {
    const levels = pruningSchedule(0.9, 2, 0.5);
    expect(levels[0]).toBeCloseTo(0.85, 12);
    expect(levels[1]).toBe(0.9);
    expect(pruningSchedule(0.3, 1)).toEqual([0.3]);
    expect(pruningSchedule(0.3, 1, 0.29)).toEqual([0.3]);
  });

  it('refuses with messages naming what was asked', () => {
    expect(() => pruningSchedule(0.9, 0)).toThrow('--steps must be a positive integer (got 0)');
    expect(() => pruningSchedule(0.9, 1.5)).toThrow('--steps must be a positive integer (got 1.5)');
    expect(() => pruningSchedule(0.25, 2, 0.25)).toThrow('the model is already 25.0% sparse; ask for more than that (got --sparsity 0.25)');
    expect(() => pruningSchedule(1, 2)).toThrow('sparsity must be in [0, 1) (got 1); e.g. --sparsity 0.85');
    // 0 is a valid target (from 0 it is at the current sparsity, refused as such, not as out of range).
    expect(() => pruningSchedule(0, 2)).toThrow('already 0.0% sparse');
  });
});

describe('weight sparsity measured on the values', () => {
  it('countNonZeros: −0 is zero, NaN is not', () => {
    expect(countNonZeros(Float32Array.from([0, 1, -0, -2, NaN, 0]))).toBe(3);
    expect(countNonZeros(new Float32Array(0))).toBe(0);
  });

  it('per matrix and overall, embedding and biases left out', () => {
    // kernel [0, 0.5, 0]: 2 zeros of 3; recurrent all zero: 3 of 3; decoder [1, 2]: 0 of 2. Overall 5/8.
    // The embedding and biases are all zero and must not count.
    const p = zeroParams(gru1);
    p[K].data.set([0, 0.5, 0]);
    p[D].data.set([1, 2]);
    const m = measureWeightSparsity(gru1, p);
    expect(m.overall).toBe(5 / 8);
    expect(m.matrices).toEqual({ [K]: 2 / 3, [R]: 1, [D]: 0 });
    expect(prunableSparsity(gru1, p)).toBe(5 / 8);
    expect(sparsityByMatrix(gru1, p)).toEqual([
      { name: K, nonZeros: 1, total: 3, sparsity: 1 - 1 / 3 },
      { name: R, nonZeros: 0, total: 3, sparsity: 1 },
      { name: D, nonZeros: 2, total: 2, sparsity: 0 },
    ]);
  });

  it('a model of no prunable weights (a layer of 0 units) is 0% sparse, not NaN', () => {
    // layers [0]: kernel [1, 0], recurrent [0, 0], decoder [0, 2], all of size 0.
    const empty: ModelConfig = { ...gru1, layers: [0] };
    const m = measureWeightSparsity(empty, zeroParams(empty));
    expect(m.overall).toBe(0);
    expect(m.matrices).toEqual({ [K]: 0, [R]: 0, [D]: 0 });
  });
});

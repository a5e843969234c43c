/**
 * The active-set helpers (models/kernels/active.ts) and the plain JS kernels (models/kernels/sparse.ts, the
 * reference the WebAssembly kernels are compared with in simd.test.ts) on sets and matrices small enough to be
 * worked out by hand. Rows of five active entries exercise the four-way unrolled loop and its scalar tail.
 * Weights 10^j make each input's term show as its own digit.
 *
 * Mutants left alive here, equivalent: active.ts byColumn `j <= width` (the extra write is past the end of ptr);
 * keepWhereNonZero sizing idx by `ptr[rows] + ptr[0]` (cut to k on return); ActiveSetBuilder's starting capacity
 * (only when it first doubles); sparse.ts backpropActiveRows without its unrolled loop (each dx[j] is the same sum
 * over o in double either way).
 */
import {
  ActiveSet, ActiveSetBuilder, ColumnSet, activeCount, activeFromFlags, activeSet, byColumn, concatRows, fullSet, keepWhereNonZero, sliceRows,
} from '../models/kernels/active';
import { accumulateActiveRows, accumulateBiasGrad, accumulateWeightGrad, backpropActiveRows, fillRowsWithBias } from '../models/kernels/sparse';
import { rows } from './helpers/arrays';

const ints = (a: Int32Array) => Array.from(a);

// S: 3 rows × 3 columns: row 0 [0, 4, 0] → {1}; row 1 all zero → {}; row 2 [2, 0, 3] → {0, 2}.
const S_VALUES = [0, 4, 0, 0, 0, 0, 2, 0, 3];

describe('active sets', () => {
  it('activeSet: the non-zero entries of each row, as CSR', () => {
    const s = activeSet(Float32Array.from(S_VALUES), 3, 3);
    expect(ints(s.ptr)).toEqual([0, 1, 1, 3]);
    expect(ints(s.idx)).toEqual([1, 0, 2]);
    // Negative values are active too; of 0/1 flags, the ones.
    expect(rows(activeSet(Float32Array.from([-1, 0]), 1, 2))).toEqual([[0]]);
    const f = activeFromFlags(Uint8Array.from([0, 1, 1, 0]), 2, 2);
    expect(ints(f.ptr)).toEqual([0, 1, 2]);
    expect(ints(f.idx)).toEqual([1, 0]);
  });

  it('fullSet and activeCount', () => {
    const f = fullSet(2, 3);
    expect(ints(f.ptr)).toEqual([0, 3, 6]);
    expect(ints(f.idx)).toEqual([0, 1, 2, 0, 1, 2]);
    expect(activeCount(f)).toBe(6);
    expect(activeCount(activeSet(Float32Array.from(S_VALUES), 3, 3))).toBe(3);
  });

  it('byColumn: for each column the rows where it is active, in row order', () => {
    // Column 0: row 2; column 1: row 0; column 2: row 2.
    const c = byColumn(activeSet(Float32Array.from(S_VALUES), 3, 3), 3);
    expect(ints(c.ptr)).toEqual([0, 1, 2, 3]);
    expect(ints(c.rows)).toEqual([2, 0, 2]);
    // Every row active in column 1 of 2: rows 0, 1, 2; column 0 none.
    const d = byColumn(activeSet(Float32Array.from([0, 1, 0, 1, 0, 1]), 3, 2), 2);
    expect(ints(d.ptr)).toEqual([0, 0, 3]);
    expect(ints(d.rows)).toEqual([0, 1, 2]);
  });

  it('sliceRows keeps absolute pointers into the shared idx', () => {
    const s = activeSet(Float32Array.from(S_VALUES), 3, 3);
    const tail = sliceRows(s, 1, 3);
    expect(ints(tail.ptr)).toEqual([1, 1, 3]);
    expect(tail.idx).toBe(s.idx);
    expect(rows(tail)).toEqual([[], [0, 2]]);
    expect(rows(sliceRows(s, 0, 1))).toEqual([[1]]);
  });

  it('concatRows: rows of a then rows of b, slices included', () => {
    const s = activeSet(Float32Array.from(S_VALUES), 3, 3);
    const a = activeSet(Float32Array.from([0, 0, 9, 5, 5, 0]), 2, 3); // rows {2}, {0, 1}
    // a, then rows 1–2 of S ({}, {0, 2}): pointers 0, 1, 3, 3, 5.
    const ab = concatRows(a, sliceRows(s, 1, 3));
    expect(ints(ab.ptr)).toEqual([0, 1, 3, 3, 5]);
    expect(ints(ab.idx)).toEqual([2, 0, 1, 0, 2]);
    // Row 2 of S ({0, 2}, pointers 1..3 of S's idx), then a: pointers 0, 2, 3, 5.
    const ba = concatRows(sliceRows(s, 2, 3), a);
    expect(ints(ba.ptr)).toEqual([0, 2, 3, 5]);
    expect(ints(ba.idx)).toEqual([0, 2, 2, 0, 1]);
  });

  it('ActiveSetBuilder grows past its starting capacity of 16 and keeps every entry', () => {
    const b = new ActiveSetBuilder(3, 1);
    for (let j = 0; j < 17; j++) b.push(j);
    b.endRow();
    // After one row: pointers 0, 17.
    expect(ints(b.view().ptr)).toEqual([0, 17]);
    b.push(5);
    b.endRow();
    b.endRow();
    const s = b.finish();
    expect(ints(s.ptr)).toEqual([0, 17, 18, 18]);
    expect(ints(s.idx)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 5]);
    expect(rows(b.view())).toEqual([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], [5], []]);
  });

  it('keepWhereNonZero: the entries whose value is non-zero, on a whole set and on a slice', () => {
    const s = activeSet(Float32Array.from(S_VALUES), 3, 3);
    // Values: row 0 [0, 1, 0] keeps 1; row 2 [1, 0, 0] keeps 0 and drops 2.
    const k = keepWhereNonZero(s, Float32Array.from([0, 1, 0, 1, 1, 1, 1, 0, 0]), 3);
    expect(ints(k.ptr)).toEqual([0, 1, 1, 2]);
    expect(ints(k.idx)).toEqual([1, 0]);
    // Row 2 alone (pointers 1..3 into S's idx) against the one-row values [0, 5, 5]: keeps 2, drops 0.
    const t = keepWhereNonZero(sliceRows(s, 2, 3), Float32Array.from([0, 5, 5]), 3);
    expect(ints(t.ptr)).toEqual([0, 1]);
    expect(ints(t.idx)).toEqual([2]);
  });
});

describe('JS kernels', () => {
  // W [5 inputs, 2 columns]: row j = [1, 10^j].
  const W = () => Float32Array.from([1, 1, 1, 10, 1, 100, 1, 1000, 1, 10000]);

  it('accumulateActiveRows adds x·W over the active entries only', () => {
    // Row 0: x = [1, 2, 3, 4, 5], all active: [1+2+3+4+5, 1 + 20 + 300 + 4000 + 50000] = [15, 54321], onto [100, 200].
    // Row 1: x = [9, 0, 7, 0, 0] with only entry 2 active (the 9 is not in the set): 7·[1, 100] = [7, 700].
    const x = Float32Array.from([1, 2, 3, 4, 5, 9, 0, 7, 0, 0]);
    const active: ActiveSet = { ptr: Int32Array.from([0, 5, 6]), idx: Int32Array.from([0, 1, 2, 3, 4, 2]) };
    const out = Float32Array.from([100, 200, 0, 0]);
    accumulateActiveRows(x, 5, active, W(), 2, out, 2);
    expect(Array.from(out)).toEqual([115, 54521, 7, 700]);
  });

  it('accumulateWeightGrad adds x[r, j]·dOut[r, :] to row j of dW', () => {
    // x [5 rows, 2 inputs]: column 0 = [1, 2, 3, 4, 5] (all active), column 1 = [0, 0, 6, 0, 0] (row 2 only).
    // dOut row r = [1, 10^r]. dW row 0 += [15, 54321]; row 1 += 6·[1, 100] = [6, 600]. dW starts at 1.
    const x = Float32Array.from([1, 0, 2, 0, 3, 6, 4, 0, 5, 0]);
    const dOut = W();
    const dW = Float32Array.from([1, 1, 1, 1]);
    accumulateWeightGrad(x, 2, byColumn(activeSet(x, 5, 2), 2), dOut, 2, dW, 2);
    expect(Array.from(dW)).toEqual([16, 54322, 7, 601]);
  });

  it('backpropActiveRows sets dx[r, j] = W[j, :]·dOut[r, :] on the needed entries and leaves the others', () => {
    // Row 0 needs all five: dOut [2, 1] → 2 + 10^j = [3, 12, 102, 1002, 10002].
    // Row 1 needs entry 3 only: dOut [1, 2] → 1 + 2·1000 = 2001; the rest stay 7.
    const dOut = Float32Array.from([2, 1, 1, 2]);
    const need: ActiveSet = { ptr: Int32Array.from([0, 5, 6]), idx: Int32Array.from([0, 1, 2, 3, 4, 3]) };
    const dx = new Float32Array(10).fill(7);
    backpropActiveRows(W(), 2, dOut, need, dx, 5, 2);
    expect(Array.from(dx)).toEqual([3, 12, 102, 1002, 10002, 7, 7, 7, 2001, 7]);
  });

  it('rows of exactly three active entries stay in the scalar tail (nothing read past the row)', () => {
    // accumulateActiveRows, row 0 {0, 1, 2} with x = [1, 2, 3] (its x[4] = 8 is not in the set), row 1 {4} with x 5:
    //   row 0: [1 + 2 + 3, 1 + 20 + 300] = [6, 321]; row 1: 5·[1, 10000] = [5, 50000].
    const x = Float32Array.from([1, 2, 3, 0, 8, 0, 0, 0, 0, 5]);
    const active: ActiveSet = { ptr: Int32Array.from([0, 3, 4]), idx: Int32Array.from([0, 1, 2, 4]) };
    const out = new Float32Array(4);
    accumulateActiveRows(x, 5, active, W(), 2, out, 2);
    expect(Array.from(out)).toEqual([6, 321, 5, 50000]);
    // accumulateWeightGrad, input 0 active in rows 0–2 (x = 1, 2, 3; its x = 8 in row 3 is not in the set) and
    // input 1 in row 3 (x = 4). dOut row r = [1, 10^r]: dW row 0 = [6, 1 + 20 + 300] = [6, 321], row 1 =
    // 4·[1, 1000] = [4, 4000].
    const xc = Float32Array.from([1, 0, 2, 0, 3, 0, 8, 4]);
    const byCol: ColumnSet = { ptr: Int32Array.from([0, 3, 4]), rows: Int32Array.from([0, 1, 2, 3]) };
    const dW = new Float32Array(4);
    accumulateWeightGrad(xc, 2, byCol, W(), 2, dW, 2);
    expect(Array.from(dW)).toEqual([6, 321, 4, 4000]);
    // backpropActiveRows, row 0 needs {0, 1, 2} and row 1 {4}: dOut [1, 1] → 1 + 10^j; the rest stay 7.
    const dx = new Float32Array(10).fill(7);
    const need: ActiveSet = { ptr: Int32Array.from([0, 3, 4]), idx: Int32Array.from([0, 1, 2, 4]) };
    backpropActiveRows(W(), 2, Float32Array.from([1, 1, 1, 1]), need, dx, 5, 2);
    expect(Array.from(dx)).toEqual([2, 11, 101, 7, 7, 7, 7, 7, 7, 10001]);
  });

  it('four terms are summed in double precision before the one float32 store (the unrolled loop)', () => {
    // x = [1, e, e, e, e] with e = 2^−25, every weight 1. The unrolled loop adds 1 + 3e in double and stores it:
    // float32(1 + 0.75·2^−23) = 1 + 2^−23 (the nearest float32 above 1); the tail then adds e: float32(1 + 2^−23
    // + 2^−25) = 1 + 2^−23. One term at a time instead, each 1 + e would round back to 1.
    const e = 2 ** -25;
    const x = Float32Array.from([1, e, e, e, e]);
    const out = new Float32Array(1);
    accumulateActiveRows(x, 5, activeSet(x, 1, 5), new Float32Array(5).fill(1), 1, out, 1);
    expect(out[0]).toBe(1 + 2 ** -23);
    // The same column as one input over five rows, dOut all 1.
    const dW = new Float32Array(1);
    accumulateWeightGrad(x, 1, byColumn(activeSet(x, 5, 1), 1), new Float32Array(5).fill(1), 1, dW, 1);
    expect(dW[0]).toBe(1 + 2 ** -23);
  });

  it('fillRowsWithBias and accumulateBiasGrad', () => {
    const out = new Float32Array(6);
    fillRowsWithBias(out, Float32Array.from([1, 2]), 3);
    expect(Array.from(out)).toEqual([1, 2, 1, 2, 1, 2]);
    // db += rows [1, 2] and [3, 4]: [10 + 4, 20 + 6].
    const db = Float32Array.from([10, 20]);
    accumulateBiasGrad(Float32Array.from([1, 2, 3, 4]), 2, db);
    expect(Array.from(db)).toEqual([14, 26]);
  });
});

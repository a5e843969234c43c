/**
 * Synapse rows (compiler/csr.ts) of tiny matrices written out by hand: which entries a row holds, in which
 * order, and where each row starts.
 */
import { gateRows, lowerBound, transposedRows } from '../compiler/csr';
import type { SynapseRows } from '../compiler/ir';

const plain = (r: SynapseRows) => ({ rowPtr: Array.from(r.rowPtr), post: Array.from(r.post), weight: Array.from(r.weight) });

describe('transposedRows: the rows of an output-major matrix, by input', () => {
  it('a 3 × 2 matrix with zeros in different places of each output', () => {
    // M [outputs 3, inputs 2], output v's row:  v0 = (0, 2), v1 = (3, 0), v2 = (4, 5).
    // Input 0 feeds v1 (3) and v2 (4); input 1 feeds v0 (2) and v2 (5): rows start at 0 and 2, 4 entries in all.
    const M = Float32Array.from([0, 2, 3, 0, 4, 5]);
    expect(plain(transposedRows(M, 3, 2))).toEqual({ rowPtr: [0, 2, 4], post: [1, 2, 0, 2], weight: [3, 4, 2, 5] });
  });

  it('an input no output uses has an empty row, and a zero matrix has no entries', () => {
    // M [2, 3]: v0 = (0, 0, 7), v1 = (0, 0, −1): inputs 0 and 1 have empty rows, input 2 feeds v0 and v1.
    expect(plain(transposedRows(Float32Array.from([0, 0, 7, 0, 0, -1]), 2, 3))).toEqual({ rowPtr: [0, 0, 0, 2], post: [0, 1], weight: [7, -1] });
    expect(plain(transposedRows(new Float32Array(6), 2, 3))).toEqual({ rowPtr: [0, 0, 0, 0], post: [], weight: [] });
  });
});

describe('gateRows and lowerBound: entries by postsynaptic accumulator', () => {
  it('a [2, 2·2] gate-blocked matrix into 4-slot units, and the first entry at or after an accumulator', () => {
    // W [inputs 2, gates z|g × units 2] = input 0: (z0 1, z1 0 | g0 2, g1 3), input 1: (0, 4 | 0, 0); gate z to
    // slot 0, g to slot 2 of 4: post = unit · 4 + slot. Row 0: z0 → 0, g0 → 2, g1 → 6; row 1: z1 → 4.
    const rows = gateRows(Float32Array.from([1, 0, 2, 3, 0, 4, 0, 0]), 2, 2, [0, 2], 4);
    expect(plain(rows)).toEqual({ rowPtr: [0, 3, 4], post: [0, 2, 6, 4], weight: [1, 2, 3, 4] });
    // Row 0 holds posts 0, 2, 6 at entries 0, 1, 2: the first ≥ 1 is entry 1, ≥ 3 entry 2, ≥ 7 its end (3).
    expect([1, 3, 7].map((from) => lowerBound(rows, 0, from))).toEqual([1, 2, 3]);
    expect([4, 5].map((from) => lowerBound(rows, 1, from))).toEqual([3, 4]);
  });
});

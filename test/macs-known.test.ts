/**
 * The MAC accounting of models/macs.ts on tallies small enough to count by hand: the non-zero weights per input
 * row, the tied decoder's rows (columns of the embedding), the effective MACs of a window's active inputs and the
 * part of them from tokens whose inputs were all ±1 (NeuroBench's ACs), the per-token report with its λ totals
 * weighted by dense size, the per-layer sums, and NeuroBench's connection counts. (macs.test.ts checks the same
 * code against a brute-force run of real models; this file pins each term on numbers written out.)
 *
 * Mutants left alive, equivalent: the reductions' `effective > 0` as `>= 0` or `true` (per projection, total and
 * per layer: dense = inputs × outputs > 0 in every valid model, so dense / 0 is the same +∞); `j <= inputs` in
 * nonZerosPerRow (the extra count is written past the Int32Array's end, ignored).
 */
import { ModelConfig } from '../models/config';
import { ActiveSet } from '../models/kernels/active';
import { ProjectionTally, connectionCounts, macReport, newTally, nonZerosPerRow, projectionWeights, tallyRows } from '../models/macs';
import { EMBEDDING, ParamSet } from '../models/params';

const tied: ModelConfig = {
  cell: 'egru', vocabSize: 3, emb: 2, layers: [2], tied: true, projection: 0, surrogateGamma: 0, surrogateSupport: 1,
};

// Projection "layer0.input": 3 inputs, 2 outputs, W (input-major) = [[1, 0], [2, 3], [0, 0]]: rows hold 1, 2, 0
// non-zero weights.
const W = Float32Array.from([1, 0, 2, 3, 0, 0]);
// Three tokens' inputs ([rows, inputs]) and their active set, written out:
//   token 0: [1, −1, 0]   active {0, 1}: 1 + 2 = 3 MACs, all ±1 → 3 ACs
//   token 1: [0.5, 0, 1]  active {0, 2}: 1 + 0 = 1 MAC, 0.5 is not ±1 → none
//   token 2: [0, 1, 1]    active {1, 2}: 2 + 0 = 2 MACs, all ±1 → 2 ACs
const values = Float32Array.from([1, -1, 0, 0.5, 0, 1, 0, 1, 1]);
const active: ActiveSet = { ptr: Int32Array.from([0, 2, 4, 6]), idx: Int32Array.from([0, 1, 0, 2, 1, 2]) };

function inputTally(): ProjectionTally {
  const params: ParamSet = { 'layers.0.kernel': { shape: [3, 2], data: W } };
  return newTally(tied, params, { matrix: 'layers.0.kernel', name: 'layer0.input', inputs: 3, outputs: 2, active, values });
}

/** "layer0.recurrent": 2 inputs, 2 outputs, dense; 3 tokens, 3 active inputs, 6 MACs of which 4 ACs. */
const recurrent = (): ProjectionTally => ({
  name: 'layer0.recurrent', matrix: 'layers.0.recurrent_kernel', inputs: 2, outputs: 2, rowNonZeros: Int32Array.from([2, 2]),
  activeInputs: 3, effective: 6, binaryEffective: 4, tokens: 3,
});

/** "decoder": 2 inputs, 3 outputs, rows holding 2 and 1 non-zero weights, no token seen. */
const decoder = (): ProjectionTally => ({
  name: 'decoder', matrix: EMBEDDING, inputs: 2, outputs: 3, rowNonZeros: Int32Array.from([2, 1]),
  activeInputs: 0, effective: 0, binaryEffective: 0, tokens: 0,
});

describe('non-zero weights per input row', () => {
  it('counts each row of an input-major matrix (−0 is zero)', () => {
    expect(Array.from(nonZerosPerRow(W, 3, 2))).toEqual([1, 2, 0]);
    expect(Array.from(nonZerosPerRow(Float32Array.from([-0, 5, 0, 0, 7, 7]), 2, 3))).toEqual([1, 2]);
  });

  it('the tied decoder counts columns of the embedding: input j feeds logit v through embedding[v, j]', () => {
    // embedding [V = 3, E = 2] = [[1, 0], [0, 2], [3, 0]]: column 0 has 2 non-zeros, column 1 has 1.
    const params: ParamSet = { [EMBEDDING]: { shape: [3, 2], data: Float32Array.from([1, 0, 0, 2, 3, 0]) } };
    expect(Array.from(projectionWeights(tied, params, { matrix: EMBEDDING, inputs: 2, outputs: 3 }))).toEqual([1, 0, 3, 0, 2, 0]);
    const t = newTally(tied, params, { matrix: EMBEDDING, name: 'decoder', inputs: 2, outputs: 3, active, values });
    expect(Array.from(t.rowNonZeros)).toEqual([2, 1]);
  });

  it('any other matrix is used as stored', () => {
    const params: ParamSet = { 'layers.0.kernel': { shape: [3, 2], data: W } };
    expect(projectionWeights(tied, params, { matrix: 'layers.0.kernel', inputs: 3, outputs: 2 })).toBe(W);
  });
});

describe('tallying a window', () => {
  it('a new tally starts at zero with its rows counted', () => {
    const t = inputTally();
    expect({ ...t, rowNonZeros: Array.from(t.rowNonZeros) }).toEqual({
      name: 'layer0.input', matrix: 'layers.0.kernel', inputs: 3, outputs: 2, rowNonZeros: [1, 2, 0],
      activeInputs: 0, effective: 0, binaryEffective: 0, tokens: 0,
    });
  });

  it('all three tokens: 3 + 1 + 2 = 6 MACs, 3 + 2 = 5 of them ACs, 6 active inputs', () => {
    const t = inputTally();
    tallyRows(t, active, 0, 3, values);
    expect([t.effective, t.binaryEffective, t.activeInputs, t.tokens]).toEqual([6, 5, 6, 3]);
  });

  it('tokens 1 and 2 only, then token 0 added: the rows are read where they are', () => {
    const t = inputTally();
    tallyRows(t, active, 1, 3, values);
    expect([t.effective, t.binaryEffective, t.activeInputs, t.tokens]).toEqual([3, 2, 4, 2]);
    tallyRows(t, active, 0, 1, values);
    expect([t.effective, t.binaryEffective, t.activeInputs, t.tokens]).toEqual([6, 5, 6, 3]);
  });
});

describe('the MAC report', () => {
  it('per projection, per token, with λ totals weighted by dense size', () => {
    const t = inputTally();
    tallyRows(t, active, 0, 3, values);
    const r = macReport([t, recurrent(), decoder()]);
    // layer0.input: dense 3·2 = 6; 6 MACs / 3 tokens = 2; λ_a = 6/(3·3) = 2/3; λ_w = 3/6 = 1/2; reduction 6/2 = 3.
    // layer0.recurrent: dense 4; 6/3 = 2; λ_a = 3/(3·2) = 1/2; λ_w = 4/4 = 1; reduction 2.
    // decoder: dense 6; no tokens: 0 MACs, λ_a = 0; λ_w = 3/6 = 1/2; reduction ∞.
    expect(r.by_projection).toEqual([
      { name: 'layer0.input', dense: 6, effective: 2, lambda_activity: 2 / 3, lambda_weight: 1 / 2, lambda_product: 1 / 3, reduction: 3 },
      { name: 'layer0.recurrent', dense: 4, effective: 2, lambda_activity: 1 / 2, lambda_weight: 1, lambda_product: 1 / 2, reduction: 2 },
      { name: 'decoder', dense: 6, effective: 0, lambda_activity: 0, lambda_weight: 1 / 2, lambda_product: 0, reduction: Infinity },
    ]);
    // Totals: dense 16, effective 4, reduction 4; λ_a = (2/3·6 + 1/2·4 + 0·6)/16 = 6/16 = 3/8;
    // λ_w = (1/2·6 + 1·4 + 1/2·6)/16 = 10/16 = 5/8; λ_a·λ_w = 15/64.
    expect(r.dense_per_token).toBe(16);
    expect(r.effective_per_token).toBe(4);
    expect(r.reduction).toBe(4);
    expect(r.lambda_activity).toBeCloseTo(3 / 8, 12);
    expect(r.lambda_weight).toBeCloseTo(5 / 8, 12);
    expect(r.lambda_product).toBeCloseTo(15 / 64, 12);
    // Layers by the name's first part: layer0 = input + recurrent (dense 10, effective 4, reduction 2.5).
    expect(r.by_layer).toEqual([
      { name: 'layer0', dense: 10, effective: 4, reduction: 2.5 },
      { name: 'decoder', dense: 6, effective: 0, reduction: Infinity },
    ]);
  });

  it('nothing seen at all: every reduction is ∞', () => {
    const r = macReport([decoder()]);
    expect(r.dense_per_token).toBe(6);
    expect(r.effective_per_token).toBe(0);
    expect(r.reduction).toBe(Infinity);
    expect(r.lambda_activity).toBe(0);
    expect(r.lambda_weight).toBe(0.5);
  });
});

describe('NeuroBench connection counts', () => {
  it('zero weights per projection, and dense ops over the run split into MACs and ACs', () => {
    const t = inputTally();
    tallyRows(t, active, 0, 3, values);
    expect(connectionCounts([t, recurrent(), decoder()])).toEqual({
      // layer0.input: 6 − 3 = 3 zeros of 6; recurrent 0 of 4; decoder 6 − 3 = 3 of 6.
      connections: [{ zeros: 3, weights: 6 }, { zeros: 0, weights: 4 }, { zeros: 3, weights: 6 }],
      // dense ops = weights × tokens: 18, 12, 0. Effective: 6 = 1 MAC + 5 ACs; 6 = 2 + 4; none.
      ops: [
        { dense: 18, effectiveMacs: 1, effectiveAcs: 5 },
        { dense: 12, effectiveMacs: 2, effectiveAcs: 4 },
        { dense: 0, effectiveMacs: 0, effectiveAcs: 0 },
      ],
    });
  });
});

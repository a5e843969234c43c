/**
 * runWindow (models/lm.ts) on language models of one or two units whose every gate is chosen by hand, so that the
 * loss, the dropout and DropConnect masks, the activity penalty and every gradient are known numbers.
 *
 * Saturated gates make a value exact (as in cells-known.test.ts): b_z = −1000 gives z = σ(−1000) = 0, so a GRU/EGRU
 * unit's candidate is c = g = tanh(pre_g) and its carried state counts for nothing. tanh(ln 3) = 4/5 and
 * tanh(ln 3 / 2) = (√3 − 1/√3)/(√3 + 1/√3) = 2/4 = 1/2. A two-word softmax over logits [0, ln 2] gives p = [1/3, 2/3],
 * over [0, 0] p = [1/2, 1/2]. Rows are t·B + b; the loss gradient is (p − onehot)/N.
 *
 * Mutants of models/lm.ts left alive here, equivalent: `+ need.ptr[0]` in needPerLayer (a finished set starts at 0);
 * maskedNeed returning `need` (dx at dropped entries is multiplied by the mask's 0 right after); `activityPenalty >= 0`
 * (adds λ·Σy = 0); `decIn[i] <= 0` in the ReLU (writes 0 over 0); `rng.next() > p` (differs only on a draw equal to p).
 *
 * Layout (models/params.ts): kernel [in, 3H] and recurrent kernel [H, 3H], gate blocks z, r, g; decoder [D, V].
 */
import { ModelConfig } from '../models/config';
import { NO_REGULARISATION, Regularisation, initialStates, runWindow, transpose } from '../models/lm';
import { gradsLike } from '../models/optim/adamw';
import { Rng } from '../models/rng';
import { expectClose, rows, zeroParams } from './helpers/arrays';

const LN2 = Math.log(2), LN3 = Math.log(3);

const gru1: ModelConfig = {
  cell: 'gru', vocabSize: 2, emb: 1, layers: [1], tied: false, projection: 0, surrogateGamma: 0, surrogateSupport: 1,
};

describe('runWindow with dropout on the embedding and the output, and DropConnect, seed 24', () => {
  // Rng(24) draws, in the order runWindow takes them (embedding mask N·E = 2, then layer 0's DropConnect mask over
  // its recurrent kernel's 3 weights, then the output mask N·H = 2):
  //   0.6683 0.0458 | 0.2677 0.5319 0.9472 | 0.0619 0.9584
  // With p = 0.5 everywhere, a draw ≥ 0.5 keeps (scaled by 1/(1 − 0.5) = 2), else drops:
  //   embedding mask [2, 0], DropConnect mask [0, 2, 2] (z, r, g), output mask [0, 2].
  // (dropoutHidden is 0: with one layer only dropoutOutput applies.)
  //
  // One GRU unit, embedding: token 1 = [1]. Inputs [1, 1], targets [1, 1], two steps, batch 1.
  //   kernel g = ln 3 / 4, bias z = −1000, bias g = ln 3 / 2; recurrent kernel z = 2000 (dropped), the rest 0.
  //   row 0: x = 1·2 = 2, pre_g = ln 3/2 + ln 3/2 = ln 3, y = 4/5.
  //   row 1: x = 1·0 = 0, pre_g = ln 3/2, y = 1/2. (Had the recurrent z weight not been dropped, pre_z would be
  //          −1000 + 2000·4/5 = 600, z = 1, c = h' = 4/5.)
  //   decoder input: y · output mask = [0, 1]. Decoder weight [0, ln 2], bias 0:
  //   row 0 logits [0, 0], p(1) = 1/2; row 1 logits [0, ln 2], p(1) = 2/3. Loss ln 2 + ln 3/2 = ln 3.
  function run() {
    const params = zeroParams(gru1);
    params['embedding'].data.set([0, 1]);
    params['layers.0.kernel'].data.set([0, 0, LN3 / 4]);
    params['layers.0.bias'].data.set([-1000, 0, LN3 / 2]);
    params['layers.0.recurrent_kernel'].data.set([2000, 0, 0]);
    params['decoder.weight'].data.set([0, LN2]);
    const regularisation: Regularisation = {
      dropoutEmbedding: 0.5, dropoutHidden: 0, dropoutOutput: 0.5, dropConnect: 0.5, activityPenalty: 0,
    };
    const rng = new Rng(24);
    const r = runWindow(gru1, params, Int32Array.from([1, 1]), Int32Array.from([1, 1]), initialStates(gru1, 1), {
      steps: 2, batch: 1, regularisation, rng,
    });
    return { params, r, rng };
  }

  it('forward: the masked embedding, the dropped recurrent weight, the masked decoder input, the loss', () => {
    const { params, r } = run();
    const [input, recurrent, decoder] = r.projections;
    expect(input.name).toBe('layer0.input');
    expectClose(input.values, [2, 0]);
    expect(rows(input.active)).toEqual([[0], []]);
    expect(recurrent.name).toBe('layer0.recurrent');
    expectClose(recurrent.values, [0, 0.8]);
    expect(decoder.name).toBe('decoder');
    expectClose(decoder.values, [0, 1]);
    expect(rows(decoder.active)).toEqual([[], [0]]);
    // The layer's own outputs, before the output mask.
    expect(rows(r.outputActive[0])).toEqual([[0], [0]]);
    expectClose(r.states[0].y, [0.5]);
    expectClose(r.targetLogProbs, [-LN2, Math.log(2 / 3)]);
    expect(r.lossSum).toBeCloseTo(LN3, 6);
    // The parameters themselves are not masked.
    expect(Array.from(params['layers.0.recurrent_kernel'].data)).toEqual([2000, 0, 0]);
  });

  it('takes exactly the 7 draws of its three masks: the next is Rng(24)\'s 8th, 0.2117', () => {
    expect(run().rng.next()).toBeCloseTo(0.2117, 4);
  });

  it('backward: gradients pass only through kept outputs, DropConnect scales the recurrent gradient, the embedding mask stops its gradient', () => {
    // dLogits = (p − onehot)/2: row 0 [1/4, −1/4], row 1 [1/6, −1/6].
    //   decoder bias: [1/4 + 1/6, −(1/4 + 1/6)] = [5/12, −5/12]; decoder weight: 0·row 0 + 1·row 1 = [1/6, −1/6].
    // Gradient into the dropped-out output: only row 1 (row 0 was dropped): ln 2 · (−1/6) = −ln 2/6; times the
    // mask 2: dy = [0, −ln 2/3]. Row 1: dpre_g = dy·(1 − (1/2)²) = −ln 2/4; z saturated and the recurrent g input
    // h_g = 0 give dpre_z = dpre_r = 0.
    //   bias g: −ln 2/4. kernel g: x·dpre_g = 2·0 + 0·(−ln 2/4) = 0.
    //   recurrent bias g: r·dpre_g = (1/2)(−ln 2/4) = −ln 2/8; recurrent kernel g: y_0 · (−ln 2/8) = −ln 2/10 on the
    //   masked weight, times its DropConnect mask 2: −ln 2/5.
    //   Input gradient of row 1: (ln 3/4)(−ln 2/4), times the embedding mask 0: the embedding gets nothing.
    const { params, r } = run();
    const grads = gradsLike(params);
    r.backward(grads);
    expectClose(grads['decoder.bias'].data, [5 / 12, -5 / 12]);
    expectClose(grads['decoder.weight'].data, [1 / 6, -1 / 6]);
    expectClose(grads['layers.0.bias'].data, [0, 0, -LN2 / 4]);
    expectClose(grads['layers.0.kernel'].data, [0, 0, 0]);
    expectClose(grads['layers.0.recurrent_bias'].data, [0, 0, -LN2 / 8]);
    expectClose(grads['layers.0.recurrent_kernel'].data, [0, 0, -LN2 / 5]);
    expectClose(grads['embedding'].data, [0, 0]);
  });
});

describe('runWindow with dropout between two layers, seed 13', () => {
  // Rng(13)'s first draws 0.9861 0.4429: with only dropoutHidden = 0.5 set, the only mask is layer 0's output
  // (N·H = 2 draws): [2, 0]. Layer 1 is the last: dropoutOutput (0) applies to it, so no other draw is taken.
  // Two GRU layers of one unit, b_z = −1000 (c = g), no recurrent weights. Inputs [1, 1] (token 1 = [1]), targets [1, 0].
  //   layer 0: kernel g = ln 3: y = 4/5 on both rows; masked [8/5, 0].
  //   layer 1: kernel g = ln 3 / 1.6: row 0 pre_g = ln 3, y = 4/5; row 1 pre_g = 0, y = 0.
  //   decoder [0, 1.25 ln 2]: row 0 logits [0, ln 2], p(1) = 2/3; row 1 logits [0, 0], p(0) = 1/2. Loss ln 3.
  const gru2: ModelConfig = { ...gru1, layers: [1, 1] };
  function run() {
    const params = zeroParams(gru2);
    params['embedding'].data.set([0, 1]);
    params['layers.0.kernel'].data.set([0, 0, LN3]);
    params['layers.0.bias'].data.set([-1000, 0, 0]);
    params['layers.1.kernel'].data.set([0, 0, LN3 / 1.6]);
    params['layers.1.bias'].data.set([-1000, 0, 0]);
    params['decoder.weight'].data.set([0, 1.25 * LN2]);
    const regularisation: Regularisation = { ...NO_REGULARISATION, dropoutHidden: 0.5 };
    const rng = new Rng(13);
    const r = runWindow(gru2, params, Int32Array.from([1, 1]), Int32Array.from([1, 0]), initialStates(gru2, 1), {
      steps: 2, batch: 1, regularisation, rng,
    });
    return { params, r, rng };
  }

  it('forward: the second layer reads the masked outputs of the first', () => {
    const { r } = run();
    expect(r.projections.map((p) => p.name)).toEqual(['layer0.input', 'layer0.recurrent', 'layer1.input', 'layer1.recurrent', 'decoder']);
    const layer1 = r.projections[2];
    expectClose(layer1.values, [1.6, 0]);
    expect(rows(layer1.active)).toEqual([[0], []]);
    expectClose(r.projections[4].values, [0.8, 0]);
    expect(r.lossSum).toBeCloseTo(LN3, 6);
    expectClose(r.targetLogProbs, [Math.log(2 / 3), -LN2]);
  });

  it('draws only the hidden mask (no embedding, DropConnect or output mask at p = 0): the next is Rng(13)\'s 3rd, 0.9003', () => {
    expect(run().rng.next()).toBeCloseTo(0.9003, 4);
  });

  it('backward: the gradient reaches layer 0 through the kept row only, scaled by 2', () => {
    // dLogits: row 0 [1/6, −1/6], row 1 [−1/4, 1/4]. Into layer 1's output: row 0 1.25 ln 2·(−1/6) = −5 ln 2/24,
    // row 1 1.25 ln 2/4 = 5 ln 2/16. Layer 1: dpre_g row 0 = −5 ln 2/24·(1 − 16/25) = −0.075 ln 2, row 1 5 ln 2/16.
    //   kernel g: 1.6·(−0.075 ln 2) + 0 = −0.12 ln 2; bias g: (−0.075 + 0.3125) ln 2 = 0.2375 ln 2.
    // Into layer 0's masked output, row 0 only: (ln 3/1.6)(−0.075 ln 2) = −0.046875 ln 2 ln 3; times the mask 2:
    // dy = −0.09375 ln 2 ln 3; dpre_g = dy·(1 − 16/25) = −0.03375 ln 2 ln 3 (row 1 dropped: 0).
    //   layer 0 kernel g and bias g: −0.03375 ln 2 ln 3 (x = 1). Embedding of token 1: ln 3 times that.
    const { params, r } = run();
    const grads = gradsLike(params);
    r.backward(grads);
    expectClose(grads['layers.1.kernel'].data, [0, 0, -0.12 * LN2]);
    expectClose(grads['layers.1.bias'].data, [0, 0, 0.2375 * LN2]);
    expectClose(grads['layers.0.kernel'].data, [0, 0, -0.03375 * LN2 * LN3]);
    expectClose(grads['layers.0.bias'].data, [0, 0, -0.03375 * LN2 * LN3]);
    expectClose(grads['embedding'].data, [0, -0.03375 * LN2 * LN3 * LN3]);
  });
});

describe('runWindow with a projection (ReLU) and a tied decoder', () => {
  // Embedding [2, 2]: token 0 = [0, 0], token 1 = [ln 2, ln 2]. One GRU unit, b_z = −1000, kernel g = [ln 3/ln 2, 0]:
  // token 1 → pre_g = ln 3, y = 4/5; token 0 → y = 0. Projection weight [1.25, −1.25], bias 0: row of token 1 →
  // [1, −1], after the ReLU [1, 0]. Tied decoder = embedding transposed, [[0, ln 2], [0, ln 2]]:
  //   logits [1, 0]·decoder = [0, ln 2] (without the ReLU, [1, −1]·decoder = [0, 0]), p(1) = 2/3.
  // Token 0's row: all zero, logits [0, 0]. Inputs [1, 0], targets [1, 1]: loss ln 3/2 + ln 2 = ln 3.
  const tied: ModelConfig = { ...gru1, emb: 2, tied: true, projection: 2 };
  function run(tiedDecoder?: Float32Array) {
    const params = zeroParams(tied);
    params['embedding'].data.set([0, 0, LN2, LN2]);
    params['layers.0.kernel'].data.set([0, 0, LN3 / LN2, 0, 0, 0]);
    params['layers.0.bias'].data.set([-1000, 0, 0]);
    params['projection.weight'].data.set([1.25, -1.25]);
    const r = runWindow(tied, params, Int32Array.from([1, 0]), Int32Array.from([1, 1]), initialStates(tied, 1), {
      steps: 2, batch: 1, regularisation: NO_REGULARISATION, rng: null, tiedDecoder,
    });
    return { params, r };
  }

  for (const given of [false, true]) {
    it(`forward and backward (decoder ${given ? 'passed in' : 'transposed here'})`, () => {
      const { params, r } = run(given ? Float32Array.from([0, LN2, 0, LN2]) : undefined);
      const proj = r.projections[2];
      expect(proj).toMatchObject({ name: 'projection', matrix: 'projection.weight', inputs: 1, outputs: 2 });
      expectClose(proj.values, [0.8, 0]);
      const dec = r.projections[3];
      expect(dec).toMatchObject({ name: 'decoder', matrix: 'embedding', inputs: 2, outputs: 2 });
      expectClose(dec.values, [1, 0, 0, 0]);
      expect(rows(dec.active)).toEqual([[0], []]);
      expect(r.lossSum).toBeCloseTo(LN3, 6);
      // dLogits: row 0 [1/6, −1/6], row 1 [1/4, −1/4]; decoder bias [5/12, −5/12].
      // Decoder (as [D, V]) gradient: decoder input [1, 0] ⊗ row 0 → D row 0 = [1/6, −1/6]; into the embedding
      // transposed: token 0 e0 += 1/6, token 1 e0 −= 1/6.
      // Into the projection output, its active entry 0 only: [0, ln 2]·[1/6, −1/6] = −ln 2/6.
      //   projection bias [−ln 2/6, 0]; projection weight: y = 4/5 times that: [−2 ln 2/15, 0].
      // Into the layer: 1.25·(−ln 2/6) = −5 ln 2/24; dpre_g = −5 ln 2/24·(9/25) = −0.075 ln 2.
      //   kernel g rows (x = [ln 2, ln 2]): −0.075 ln 2² each; bias g −0.075 ln 2.
      //   Input gradient of token 1's row: [ln 3/ln 2, 0]·(−0.075 ln 2) = [−0.075 ln 3, 0].
      const grads = gradsLike(params);
      r.backward(grads);
      expectClose(grads['decoder.bias'].data, [5 / 12, -5 / 12]);
      expectClose(grads['projection.bias'].data, [-LN2 / 6, 0]);
      expectClose(grads['projection.weight'].data, [(-2 * LN2) / 15, 0]);
      expectClose(grads['layers.0.kernel'].data, [0, 0, -0.075 * LN2 * LN2, 0, 0, -0.075 * LN2 * LN2]);
      expectClose(grads['layers.0.bias'].data, [0, 0, -0.075 * LN2]);
      expectClose(grads['embedding'].data, [1 / 6, 0, -1 / 6 - 0.075 * LN3, 0]);
    });
  }
});

describe('runWindow: the activity penalty λ·mean(y) over EGRU layers when training', () => {
  // One EGRU layer of 2 units, ϑ = 1/2 each, b_z = −1000 (c = g). Unit 0: g = tanh(ln 3 · x); unit 1: g = 0.
  // Inputs [1, 0] (token 1 = [1], token 0 = [0]), two steps, batch 1:
  //   row 0: unit 0 c = 4/5 > 1/2 fires, y = 4/5, h = 4/5 − 1/2 = 3/10 (changed from 0); unit 1 c = 0, silent.
  //   row 1: unit 0 c = 0, silent, h = 0 (changed from 3/10); unit 1 silent.
  // Σy = 4/5 over N·H = 2·2 = 4 outputs: mean 1/5, penalty λ/5 = 1/10 at λ = 1/2.
  const egru2: ModelConfig = { ...gru1, cell: 'egru', layers: [2] };
  function run(config: ModelConfig, rng: Rng | null) {
    const params = zeroParams(config);
    params['embedding'].data.set([0, 1]);
    params['layers.0.kernel'].data.set([0, 0, 0, 0, LN3, 0]);
    params['layers.0.bias'].data.set([-1000, -1000, 0, 0, 0, 0]);
    if (config.cell === 'egru') params['layers.0.thr'].data.set([0.5, 0.5]);
    const regularisation: Regularisation = { ...NO_REGULARISATION, activityPenalty: 0.5 };
    return runWindow(config, params, Int32Array.from([1, 0]), Int32Array.from([0, 0]), initialStates(config, 1), {
      steps: 2, batch: 1, regularisation, rng,
    });
  }

  it('λ/5 = 0.1 on the EGRU when training; its events, outputs, need and membrane changes', () => {
    const rng = new Rng(1);
    const r = run(egru2, rng);
    // No dropout: not one draw taken, the next is Rng(1)'s first, 0.5686.
    expect(rng.next()).toBeCloseTo(0.5686, 4);
    expect(r.penaltyLoss).toBeCloseTo(0.1, 6);
    expect(r.eventsPerLayer).toEqual([1]);
    expect(rows(r.outputActive[0])).toEqual([[0], []]);
    // γ = 0: only the fired unit needs a gradient.
    expect(r.needPerLayer).toEqual([1]);
    expect(Array.from(r.membraneChanges[0]!)).toEqual([1, 1]);
    expectClose(r.states[0].h, [0, 0]);
  });

  it('0 when evaluating (no generator), whatever λ says', () => {
    expect(run(egru2, null).penaltyLoss).toBe(0);
  });

  it('0 on a dense GRU, whose outputs are not events', () => {
    // The same unit without a threshold: y = [4/5, 0] on unit 0, but the penalty is for EGRU layers only.
    const r = run({ ...egru2, cell: 'gru' }, new Rng(1));
    expect(r.penaltyLoss).toBe(0);
    // A dense layer has every output needed and counted: N·H = 4.
    expect(r.needPerLayer).toEqual([4]);
    expect(r.eventsPerLayer).toEqual([4]);
    expect(r.membraneChanges).toEqual([null]);
  });
});

describe('transpose', () => {
  it('[2, 3] → [3, 2]', () => {
    // [[1, 2, 3], [4, 5, 6]] → [[1, 4], [2, 5], [3, 6]].
    expect(Array.from(transpose(Float32Array.from([1, 2, 3, 4, 5, 6]), 2, 3))).toEqual([1, 4, 2, 5, 3, 6]);
  });
});

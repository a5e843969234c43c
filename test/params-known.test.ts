/**
 * models/params.ts by known answers: the tensor names and shapes of three small configurations written out by hand,
 * initParams' bounds read off a stand-in generator that records what it is asked for, the LSTM forget-gate bias,
 * the add-one unigram bias, the prunable matrices, cloning and counting.
 *
 * The stand-in generator: `uniform(lo, hi)` answers 10·lo + hi (so ±b gives −9b, and a bound whose sign or size is
 * wrong shows in the value), `beta(a, b)` answers 0.125 and keeps its arguments; every call is counted, so a loop
 * that draws once too often shows even where its extra write falls past the end of a typed array.
 */
import { ModelConfig } from '../models/config';
import {
  biasName, cloneParams, countParams, expectedShapes, initParams, kernelName, layerName, logUnigram, prunableNames,
  recurrentBiasName, recurrentKernelName, tensor, thresholdName,
} from '../models/params';
import { Rng } from '../models/rng';

const config = (c: Partial<ModelConfig>): ModelConfig => ({
  cell: 'egru', vocabSize: 2, emb: 1, layers: [4], tied: false, projection: 0, surrogateGamma: 0.3, surrogateSupport: 1, ...c,
});

/** EGRU, V = 2, E = 1, one layer of H = 4 (G·H = 12), a projection of P = 9, untied. */
const egru = config({ projection: 9 });

function standIn() {
  const calls = { uniform: 0, beta: [] as [number, number][] };
  const rng = {
    uniform: (lo: number, hi: number) => (calls.uniform++, 10 * lo + hi),
    beta: (a: number, b: number) => (calls.beta.push([a, b]), 0.125),
  } as unknown as Rng;
  return { rng, calls };
}

const values = (t: { data: Float32Array }) => Array.from(t.data);
const all = (n: number, v: number) => Array.from({ length: n }, () => Math.fround(v));

describe('expectedShapes', () => {
  it('names every tensor of an EGRU with a projection, in canonical order', () => {
    expect(Object.entries(expectedShapes(egru))).toEqual([
      ['embedding', [2, 1]],
      ['layers.0.kernel', [1, 12]], // input E = 1, gates z, r, g of 4 units
      ['layers.0.recurrent_kernel', [4, 12]],
      ['layers.0.bias', [12]],
      ['layers.0.recurrent_bias', [12]],
      ['layers.0.thr', [4]],
      ['projection.weight', [4, 9]],
      ['projection.bias', [9]],
      ['decoder.weight', [9, 2]], // the decoder reads the projection's 9
      ['decoder.bias', [2]],
    ]);
  });

  it('a tied two-layer LSTM: four gates, no thresholds, no decoder matrix; layer 1 reads layer 0', () => {
    expect(Object.entries(expectedShapes(config({ cell: 'lstm', vocabSize: 3, emb: 2, layers: [5, 2], tied: true })))).toEqual([
      ['embedding', [3, 2]],
      ['layers.0.kernel', [2, 20]],
      ['layers.0.recurrent_kernel', [5, 20]],
      ['layers.0.bias', [20]],
      ['layers.0.recurrent_bias', [20]],
      ['layers.1.kernel', [5, 8]],
      ['layers.1.recurrent_kernel', [2, 8]],
      ['layers.1.bias', [8]],
      ['layers.1.recurrent_bias', [8]],
      ['decoder.bias', [3]],
    ]);
  });

  it('an untied GRU without projection decodes from its last layer', () => {
    const shapes = expectedShapes(config({ cell: 'gru', vocabSize: 7, emb: 2, layers: [3, 5] }));
    expect(shapes['layers.1.kernel']).toEqual([3, 15]);
    expect(shapes['decoder.weight']).toEqual([5, 7]);
    expect(Object.keys(shapes)).not.toContain('layers.0.thr');
    expect(Object.keys(shapes)).not.toContain('projection.weight');
    expect(Object.keys(shapes)).toHaveLength(1 + 2 * 4 + 2);
  });

  it('names layers as every stage does', () => {
    expect([kernelName(3), recurrentKernelName(3), biasName(3), recurrentBiasName(3), thresholdName(3), layerName(3)]).toEqual([
      'layers.3.kernel', 'layers.3.recurrent_kernel', 'layers.3.bias', 'layers.3.recurrent_bias', 'layers.3.thr', 'layer3',
    ]);
  });
});

describe('initParams', () => {
  it('draws each matrix within ±1/√fan and each threshold from Beta(3m/(1 − m), 3)', () => {
    const { rng, calls } = standIn();
    const p = initParams(egru, rng, { thresholdInit: 0.25 });
    expect(Object.keys(p)).toEqual(Object.keys(expectedShapes(egru)));
    // Embedding: ±0.1 by default → 10·(−0.1) + 0.1 = −0.9.
    expect(values(p.embedding)).toEqual(all(2, -0.9));
    // Recurrent kernels take the fan of one gate block, G·H / G = 4 units: ±1/√4 = ±0.5 → −4.5, for the input kernel
    // too (its own fan-in, E = 1, would give ±1 → −9).
    expect(values(p['layers.0.kernel'])).toEqual(all(12, -4.5));
    expect(values(p['layers.0.recurrent_kernel'])).toEqual(all(48, -4.5));
    // Other matrices take their fan-in: the projection's 4 inputs ±0.5 → −4.5, the decoder's 9 inputs ±1/3 → −3.
    expect(values(p['projection.weight'])).toEqual(all(36, -4.5));
    expect(values(p['decoder.weight'])).toEqual(all(18, -3));
    // Biases start at 0.
    for (const name of ['layers.0.bias', 'layers.0.recurrent_bias', 'projection.bias', 'decoder.bias']) expect(values(p[name])).toEqual(all(p[name].data.length, 0));
    // Thresholds: mean m = 0.25 → a = 3·0.25 / 0.75 = 1, b = 3 (a / (a + b) = 1/4, the mean asked), one draw a unit.
    expect(calls.beta).toEqual([[1, 3], [1, 3], [1, 3], [1, 3]]);
    expect(values(p['layers.0.thr'])).toEqual(all(4, 0.125));
    // Exactly one draw per matrix entry: 2 + 12 + 48 + 36 + 18 = 116.
    expect(calls.uniform).toBe(116);
  });

  it('takes the embedding bound asked for, and a threshold mean of 0.5 gives Beta(3, 3)', () => {
    const { rng, calls } = standIn();
    const p = initParams(config({ layers: [1] }), rng, { thresholdInit: 0.5, embeddingInit: 0.25 });
    // ±0.25 → −2.5 + 0.25 = −2.25.
    expect(values(p.embedding)).toEqual(all(2, -2.25));
    expect(calls.beta).toEqual([[3, 3]]);
  });

  it('starts an LSTM layer\'s forget gate (the second of the blocks i, f, g, o) at 1, and no other bias', () => {
    const lstm = config({ cell: 'lstm', vocabSize: 12, emb: 2, layers: [2], projection: 8 });
    const p = initParams(lstm, new Rng(1), { thresholdInit: 0.05 });
    expect(values(p['layers.0.bias'])).toEqual([0, 0, 1, 1, 0, 0, 0, 0]);
    expect(values(p['layers.0.recurrent_bias'])).toEqual(all(8, 0));
    // The projection and decoder biases end in ".bias" too but are not gate blocks (they had ones at [P/4, P/2) and
    // [V/4, V/2) until 2026-12-05).
    expect(values(p['projection.bias'])).toEqual(all(8, 0));
    expect(values(p['decoder.bias'])).toEqual(all(12, 0));
  });

  it('sets the decoder bias to the log unigram distribution when given tokens', () => {
    const { rng } = standIn();
    // Tokens 1, 1, 1 over V = 2: add-one counts 1 and 4 out of 3 + 2 = 5.
    const p = initParams(egru, rng, { thresholdInit: 0.25, unigramTokens: Int32Array.from([1, 1, 1]) });
    expect(values(p['decoder.bias'])).toEqual([Math.fround(Math.log(1 / 5)), Math.fround(Math.log(4 / 5))]);
  });
});

describe('logUnigram', () => {
  it('is uniform with no tokens: log(1/V)', () => {
    expect(Array.from(logUnigram(new Int32Array(0), 4))).toEqual(all(4, Math.log(1 / 4)));
  });
});

describe('prunableNames, tensor, cloneParams, countParams', () => {
  it('prunes every matrix but the embedding', () => {
    expect(prunableNames(egru)).toEqual(['layers.0.kernel', 'layers.0.recurrent_kernel', 'projection.weight', 'decoder.weight']);
  });

  it('makes a zero tensor of its shape, takes data of the right size and refuses data of another', () => {
    expect(tensor([2, 3])).toEqual({ shape: [2, 3], data: new Float32Array(6) });
    expect(tensor([])).toEqual({ shape: [], data: new Float32Array(1) });
    const data = Float32Array.from([1, 2, 3, 4, 5, 6]);
    expect(tensor([3, 2], data).data).toBe(data);
    expect(() => tensor([2, 3], new Float32Array(5))).toThrow('tensor data has 5 values, shape 2×3 needs 6');
  });

  it('clones deeply and counts every value', () => {
    const p = { a: tensor([2], Float32Array.from([1, 2])), b: tensor([1, 3], Float32Array.from([3, 4, 5])) };
    const c = cloneParams(p);
    expect(c).toEqual(p);
    c.a.data[0] = 9;
    c.b.shape[0] = 7;
    expect(values(p.a)).toEqual([1, 2]);
    expect(p.b.shape).toEqual([1, 3]);
    expect(countParams(p)).toBe(5);
    // The EGRU above: 2 + 12 + 48 + 12 + 12 + 4 + 36 + 9 + 18 + 2 = 155.
    expect(countParams(initParams(egru, standIn().rng, { thresholdInit: 0.25 }))).toBe(155);
  });
});

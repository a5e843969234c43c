/**
 * Known answers for the calibration measurement (compiler/activity.ts): a hand-wired EGRU whose units fire
 * on known tokens only, so every population's events per unit per token can be counted by hand from the
 * token stream.
 */
import { measureActivity } from '../compiler/activity';
import type { LanguageModel } from '../models/model';
import { EMBEDDING, PROJECTION_BIAS, biasName, kernelName, thresholdName } from '../models/params';
import { fixtureConfig, randomModel } from './fixtures/model';
import { errorOf } from './helpers/errors';

/**
 * Vocabulary 4, embedding 2, layers [2, 2]; every weight 0 except:
 * - embedding: token 0 → (0, 0), 1 → (1, 0), 2 → (0, 1), 3 → (1, 1): an embedding unit's event is a non-zero value;
 * - layer 0, crossed: W_g[x1 → unit 0] = W_g[x0 → unit 1] = 5, b_g = −2.5, b_z = −30 (z ≈ 1e-13, so c = g):
 *   unit 0 gets c = tanh(5·x1 − 2.5) = ±0.987, firing (threshold 0.5) exactly when x1 = 1; unit 1 when x0 = 1;
 * - layer 1: b_z = −30, b_g = (+2.5, −2.5): unit 0 has c = 0.987 > 0.5 every token, unit 1 c = −0.987, never;
 * - with a projection of 3: weights 0, bias (−1, 1, −1): after the ReLU only output 1 is non-zero, every token.
 */
function handWired(projection = 0): LanguageModel {
  const config = fixtureConfig({ vocabSize: 4, emb: 2, layers: [2, 2], projection });
  const model = randomModel(config);
  const params = model.params;
  for (const t of Object.values(params)) t.data.fill(0);
  params[EMBEDDING].data.set([0, 0, 1, 0, 0, 1, 1, 1]);
  // Kernels are [inputs, 3H] with gate blocks z0 z1 | r0 r1 | g0 g1: column 4 is g of unit 0, 5 of unit 1.
  const W0 = params[kernelName(0)].data;
  W0[1 * 6 + 4] = 5; // x1 → g of unit 0
  W0[0 * 6 + 5] = 5; // x0 → g of unit 1
  params[biasName(0)].data.set([-30, -30, 0, 0, -2.5, -2.5]);
  params[biasName(1)].data.set([-30, -30, 0, 0, 2.5, -2.5]);
  params[thresholdName(0)].data.fill(0.5);
  params[thresholdName(1)].data.fill(0.5);
  if (projection) params[PROJECTION_BIAS].data.set([-1, 1, -1]);
  return model;
}

// The forward pass as models/lm.ts runs it, or with one projection left out (mockLeftOut): a pass that lacks a
// population measureActivity counts at must be refused, not counted as silence.
let mockLeftOut: string | null = null;
jest.mock('../models/lm', () => {
  const actual = jest.requireActual<typeof import('../models/lm')>('../models/lm');
  return {
    ...actual,
    runWindow: (...args: Parameters<typeof actual.runWindow>) => {
      const r = actual.runWindow(...args);
      return mockLeftOut === null ? r : { ...r, projections: r.projections.filter((p) => p.name !== mockLeftOut) };
    },
  };
});

const rates = (a: Float32Array | null) => (a ? Array.from(a, (v) => Number(v.toFixed(6))) : a);
const round = (v: number) => Number(v.toFixed(6));

describe('measureActivity, counted by hand', () => {
  it('counts every read token once and divides by the tokens read, not the last (predicted-only) one', () => {
    // ids 1 3 1 0 2: four tokens read (1, 3, 1, 0); the final 2 is only predicted.
    // Embedding unit 0 is non-zero for tokens 1 and 3: 3 of 4 reads; unit 1 for tokens 2 and 3: 1 of 4.
    // Layer 0 is crossed: unit 0 follows x1 (1 of 4), unit 1 follows x0 (3 of 4). Layer 1: (1, 0).
    const m = measureActivity(handWired(), Int32Array.from([1, 3, 1, 0, 2]));
    expect(m.tokens).toBe(4);
    expect(rates(m.embedding)).toEqual([0.75, 0.25]);
    expect(rates(m.layers[0])).toEqual([0.25, 0.75]);
    expect(rates(m.layers[1])).toEqual([1, 0]);
    expect(m.projection).toBeNull();
  });

  it('reads only the first maxTokens tokens when fewer than the text holds', () => {
    // maxTokens 2 of the 4 available: reads 1, 3 → embedding (2/2, 1/2), layer 0 (1/2, 2/2).
    const m = measureActivity(handWired(), Int32Array.from([1, 3, 1, 0, 2]), 2);
    expect(m.tokens).toBe(2);
    expect(rates(m.embedding)).toEqual([1, 0.5]);
    expect(rates(m.layers[0])).toEqual([0.5, 1]);
    // maxTokens beyond the text: the 4 available.
    expect(measureActivity(handWired(), Int32Array.from([1, 3, 1, 0, 2]), 9).tokens).toBe(4);
  });

  it('needs two tokens: one to read and one to predict', () => {
    // ids 3 0: one read (token 3, both embedding units non-zero; layer 0 both fire).
    const m = measureActivity(handWired(), Int32Array.from([3, 0]));
    expect(m.tokens).toBe(1);
    expect(rates(m.embedding)).toEqual([1, 1]);
    expect(rates(m.layers[0])).toEqual([1, 1]);
    for (const ids of [[3], []]) {
      expect(errorOf(() => measureActivity(handWired(), Int32Array.from(ids)))).toBe(
        'the calibration text needs at least two tokens (one to read, one to predict)',
      );
    }
  });

  it('counts the last layer at the projection it feeds, and the projection’s non-zero outputs', () => {
    // Layer 1 unit 0 fires every token: (1, 0). The projection's output 1 alone is non-zero: (0, 1, 0).
    const m = measureActivity(handWired(3), Int32Array.from([1, 3, 1, 0, 2]));
    expect(rates(m.layers[1])).toEqual([1, 0]);
    expect(rates(m.projection)).toEqual([0, 1, 0]);
    expect(rates(m.layers[0])).toEqual([0.25, 0.75]);
  });

  it('carries on over windows of 128 tokens: 130 tokens are 128 + 2, each read once', () => {
    // ids[i] = (1, 3, 1, 0)[i mod 4], 131 of them: 130 read = 32 periods + ids[128] = 1, ids[129] = 3.
    // Embedding unit 0 (tokens 1, 3): 32·3 + 2 = 98 of 130; unit 1 (tokens 3): 32 + 1 = 33 of 130.
    const pattern = [1, 3, 1, 0];
    const ids = Int32Array.from({ length: 131 }, (_, i) => pattern[i % 4]);
    const m = measureActivity(handWired(), ids);
    expect(m.tokens).toBe(130);
    expect(rates(m.embedding)).toEqual([round(98 / 130), round(33 / 130)]);
    expect(rates(m.layers[0])).toEqual([round(33 / 130), round(98 / 130)]);
    // Exactly one window: 128 read of 129 = 32 periods: unit 0 96 of 128 = 0.75, unit 1 32 of 128 = 0.25.
    const one = measureActivity(handWired(), ids.subarray(0, 129));
    expect(one.tokens).toBe(128);
    expect(rates(one.embedding)).toEqual([0.75, 0.25]);
  });

  it('refuses a forward pass that lacks a projection it counts events at', () => {
    // Events are counted where they are consumed: the embedding's at layer0.input, layer 0's at layer1.input, the
    // last layer's at the decoder (or at the projection, whose own at the decoder). Each left out in turn.
    const missing = 'calibration: a projection the model should have is missing from the forward pass';
    try {
      for (const [name, projection] of [['layer0.input', 0], ['layer1.input', 0], ['decoder', 0], ['projection', 3], ['decoder', 3]] as const) {
        mockLeftOut = name;
        // An internal error (a plain Error, not a UserError: no user input can cause it), its message whole.
        expect(() => measureActivity(handWired(projection), Int32Array.from([1, 3, 1, 0, 2]))).toThrow(new Error(missing));
      }
      // Nothing left out: the same model and text are measured.
      mockLeftOut = null;
      expect(measureActivity(handWired(3), Int32Array.from([1, 3, 1, 0, 2])).tokens).toBe(4);
    } finally {
      mockLeftOut = null;
    }
  });
});

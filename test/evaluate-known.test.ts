/**
 * evaluate (models/evaluate.ts) on a hand-built EGRU whose every event is known: a stream longer than the raster
 * (40 tokens) read in windows of 16, so the raster's cut, the units' event counts, the loss, the progress calls
 * and the token limit can all be checked against answers worked out by hand.
 *
 * mean_activity (Σ events / (Σ units × tokens)) kills the scout's survivors at evaluate.ts:90 (`a - b` in the units'
 * sum) and :94 (`*` for `/`, `a - b` in the events' sum, `unitsTotal / total`). Equivalent (2026-12-05 scout):
 * - evaluate.ts:73 `q <= ptr[T]`: the step past the last event reads idx[ptr[T]], one past the end of the finished
 *   active set (trimmed to exactly ptr[T] entries, or the dense set's T·H), so undefined: `unitEvents[l][undefined]++`
 *   changes no element of the Float64Array.
 * - evaluate.ts:81 `start - t === 0`: t runs below T ≤ W and every window after the first starts at a multiple of
 *   W ≥ 1, so start − t is 0 only at start = t = 0, exactly where start + t is.
 */
import { ModelConfig } from '../models/config';
import { RASTER_TOKENS, evaluate } from '../models/evaluate';
import type { ParamSet } from '../models/params';
import { zeroParams } from './helpers/arrays';

/**
 * Vocabulary 2, embedding 1 (token 0 = [0], token 1 = [1]), one EGRU layer of 2 units, untied decoder. Gate order
 * z, r, g (kernel columns 0–1, 2–3, 4–5). b_z = −200 for both units: z = σ(−200) ≈ 1e−87, so c = g (the carried
 * state counts for nothing). The recurrent kernel is zero, so the previous output counts for nothing either.
 *   unit 0: g = tanh(3·x):     token 1 → tanh 3 = 0.995 > ϑ = 0.5, an event; token 0 → 0, none.
 *   unit 1: g = tanh(3 − 6·x): token 0 → tanh 3 = 0.995, an event;         token 1 → tanh(−3) < 0, none.
 * Every input token fires exactly one unit: unit 0 on a 1, unit 1 on a 0.
 * Decoder weights zero, decoder bias [0, ln 3]: whatever the state, p(0) = 1/4 and p(1) = 3/4, so a target 1 costs
 * ln(4/3) and a target 0 costs ln 4.
 */
function handModel(): { config: ModelConfig; params: ParamSet } {
  const config: ModelConfig = {
    cell: 'egru', vocabSize: 2, emb: 1, layers: [2], tied: false, projection: 0, surrogateGamma: 0.3, surrogateSupport: 1,
  };
  const params = zeroParams(config);
  params['embedding'].data.set([0, 1]);
  params['layers.0.kernel'].data.set([3, -6], 4);
  params['layers.0.bias'].data.set([-200, -200, 0, 0, 0, 3]);
  params['layers.0.thr'].data.set([0.5, 0.5]);
  params['decoder.bias'].data.set([0, Math.log(3)]);
  return { config, params };
}

// 50 tokens, 1 at every multiple of 3 (0, 3, …, 48), else 0. 49 predicted tokens: inputs ids[0..48] hold 17 ones
// and 32 zeros; targets ids[1..49] hold 16 ones (3, …, 48) and 33 zeros.
const stream = () => Int32Array.from({ length: 50 }, (_, i) => (i % 3 === 0 ? 1 : 0));
// The raster of the first 40 tokens: unit 0 at every multiple of 3, unit 1 elsewhere.
const raster = (tokens: number) => Array.from({ length: tokens }, (_, t) => (t % 3 === 0 ? [0] : [1]));

describe('evaluate on the hand-built EGRU, in windows of 16', () => {
  it('49 tokens: each unit\'s events, the raster of the first 40 tokens only, the loss, progress after each window', () => {
    const { config, params } = handModel();
    const progress: [number, number][] = [];
    const e = evaluate(config, params, stream(), { window: 16, onProgress: (done, total) => progress.push([done, total]) });
    expect(e.tokens).toBe(49);
    expect(RASTER_TOKENS).toBe(40);
    const [layer] = e.layers;
    // 49 events (one per token) over 2 units × 49 tokens: activity 0.5.
    expect(layer).toMatchObject({ layer: 0, units: 2, events: 49, activity: 0.5, unit_events: [17, 32] });
    // The mean over layers: Σ events / (Σ units × tokens) = 49 / (2 × 49) = 0.5 (one layer, so the layer's own).
    expect(e.mean_activity).toBe(0.5);
    // Windows start at 0, 16, 32 and 48; the third contributes tokens 32–39 only.
    expect(layer.raster).toEqual(raster(40));
    // (16·ln(4/3) + 33·ln 4) / 49 = (4.602913 + 45.747713) / 49 = 1.027564.
    expect(e.loss).toBeCloseTo((16 * Math.log(4 / 3) + 33 * Math.log(4)) / 49, 5);
    expect(e.loss).toBeCloseTo(1.027564, 5);
    expect(e.perplexity).toBeCloseTo(Math.exp(1.027564), 4);
    expect(progress).toEqual([[16, 49], [32, 49], [48, 49], [49, 49]]);
  });

  it('maxTokens 10 stops after 10 predicted tokens; 0 and no limit read the whole stream, 100 the 49 there are', () => {
    const { config, params } = handModel();
    // Inputs ids[0..9]: ones at 0, 3, 6, 9 → unit 0 fires 4 times, unit 1 6 times. Targets ids[1..10]: 3 ones, 7 zeros.
    const e = evaluate(config, params, stream(), { window: 16, maxTokens: 10 });
    expect(e.tokens).toBe(10);
    expect(e.layers[0].unit_events).toEqual([4, 6]);
    expect(e.layers[0].raster).toEqual(raster(10));
    // 4 + 6 = 10 events over 2 units × 10 tokens.
    expect(e.mean_activity).toBe(0.5);
    expect(e.loss).toBeCloseTo((3 * Math.log(4 / 3) + 7 * Math.log(4)) / 10, 5);
    for (const maxTokens of [0, undefined, 100]) {
      const whole = evaluate(config, params, stream(), { window: 16, maxTokens });
      expect(whole.tokens).toBe(49);
      expect(whole.layers[0].unit_events).toEqual([17, 32]);
    }
  });

  it('a negative, fractional or non-finite maxTokens throws, naming it (it used to mean the whole stream)', () => {
    const { config, params } = handModel();
    for (const maxTokens of [-1, 2.5, NaN, Infinity]) {
      expect(() => evaluate(config, params, stream(), { window: 16, maxTokens })).toThrow(
        new Error(`evaluate: maxTokens must be a whole number of tokens ≥ 0 (0: the whole stream), got ${maxTokens}`),
      );
    }
  });

  it('a window below 1, fractional or non-finite throws, naming it (0 used to loop for ever)', () => {
    const { config, params } = handModel();
    for (const window of [0, -4, 2.5, NaN, Infinity]) {
      expect(() => evaluate(config, params, stream(), { window, maxTokens: 10 })).toThrow(
        new Error(`evaluate: window must be a whole number of tokens ≥ 1, got ${window}`),
      );
    }
    // Window 1 is the smallest: 10 windows of one token give the 10-token answer above.
    expect(evaluate(config, params, stream(), { window: 1, maxTokens: 10 }).layers[0].unit_events).toEqual([4, 6]);
  });
});

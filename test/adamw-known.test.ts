/**
 * AdamW (models/optim/adamw.ts) against answers worked out by hand: two steps on tiny tensors with every setting
 * distinct (lr, β1, β2, ε, per-layer weight decay, the thresholds' learning-rate scale, a pruning mask), gradient
 * clipping on a 3-4-5 triangle, and the per-layer weight decay's lookup and its error message.
 *
 * Equivalent mutants (Stryker scout of 2026-12-05 on adamw-known, prune and train: 96.15%, these 3 its survivors):
 *   adamw.ts:75 and :95 `i < length` → `i <= length`: one step past a typed array's end, writes there are ignored.
 *   adamw.ts:93 `norm > maxNorm` → `norm >= maxNorm`: at norm = maxNorm the scale is maxNorm/norm = 1 exactly, and
 *     multiplying by 1 changes no gradient.
 */
import { UserError } from '../models/config';
import { adamWStep, checkWeightDecay, clipGradNorm, newAdamWState, weightDecayOf } from '../models/optim/adamw';
import { ParamSet, tensor } from '../models/params';

const params = (values: Record<string, number[]>): ParamSet =>
  Object.fromEntries(Object.entries(values).map(([name, v]) => [name, tensor([v.length], Float32Array.from(v))]));
const values = (set: ParamSet) => Object.fromEntries(Object.entries(set).map(([name, t]) => [name, Array.from(t.data)]));

describe('adamWStep, two steps worked by hand', () => {
  // lr 0.1, β1 0.5, β2 0.75, ε 0.5, weight decay 0.5 for layer 0 and everything outside the layers, 2 for layer 1,
  // thresholds' learning rate ×4 (and never decayed). Decay factors per step: 1 − 0.1·0.5 = 0.95, 1 − 0.1·2 = 0.8.
  // Bias corrections: step 1 bc1 = 1 − 0.5 = 0.5, bc2 = 1 − 0.75 = 0.25; step 2 bc1 = 0.75, bc2 = 1 − 0.5625 = 0.4375.
  //
  // layers.0.kernel = [1, 0.5, −1], mask [1, 0, 1], gradients [2, 7, 0] then [−2, 7, 0]:
  //   [0] step 1: m = 0.5·2 = 1, v = 0.25·4 = 1; m/bc1 = 2, √(v/bc2) = √4 = 2, + ε = 2.5: update 0.1·2/2.5 = 0.08;
  //       p = 1·0.95 − 0.08 = 0.87.
  //       step 2: m = 0.5·1 + 0.5·(−2) = −0.5, v = 0.75·1 + 0.25·4 = 1.75; m/bc1 = −2/3, √(1.75/0.4375) = √4 = 2:
  //       update 0.1·(−2/3)/2.5 = −2/75; p = 0.87·0.95 + 2/75 = 0.8265 + 0.0266667 = 0.8531667.
  //       (ε subtracted instead: 0.1·2/1.5 = 0.1333 at step 1; v·bc2: √0.25 + 0.5 = 1, update 0.2.)
  //   [1] pruned: zero after every step, whatever its gradient; its moments stay 0.
  //   [2] gradient 0: no Adam update at all, only the decoupled decay: −1 → −0.95 → −0.9025. (Weight decay added
  //       to the gradient, L2-style, would give it gradient −0.5 and an Adam step of about +lr instead.)
  // layers.0.thr = [1], gradients 2 then −2: the same Adam steps as kernel[0] times 4, no decay:
  //   1 − 4·0.08 = 0.68, then 0.68 + 4·2/75 = 0.68 + 0.1066667 = 0.7866667.
  // layers.1.kernel = [1], gradient 0: decays by 0.8 each step: 0.8, 0.64.
  // embedding = [1], gradient 0: outside the layers, takes the first value: 0.95, 0.9025.
  const settings = { beta1: 0.5, beta2: 0.75, eps: 0.5, weightDecay: [0.5, 2], thresholdLrScale: 4 };
  const start = () => params({ 'layers.0.kernel': [1, 0.5, -1], 'layers.0.thr': [1], 'layers.1.kernel': [1], embedding: [1] });
  const gradients = (sign: number) =>
    params({ 'layers.0.kernel': [2 * sign, 7, 0], 'layers.0.thr': [2 * sign], 'layers.1.kernel': [0], embedding: [0] });
  const masks = { 'layers.0.kernel': Uint8Array.of(1, 0, 1) };

  const expectClose = (actual: Record<string, number[]>, expected: Record<string, number[]>) => {
    expect(Object.keys(actual)).toEqual(Object.keys(expected));
    for (const name of Object.keys(expected)) expected[name].forEach((e, i) => expect(actual[name][i]).toBeCloseTo(e, 6));
  };

  it('step 1: Adam step of lr·m̂/(√v̂ + ε), decay decoupled from the gradient, thresholds ×4 and undecayed, pruned weight zero', () => {
    const p = start();
    const state = newAdamWState(p);
    adamWStep(p, gradients(1), state, settings, 0.1, masks);
    expectClose(values(p), { 'layers.0.kernel': [0.87, 0, -0.95], 'layers.0.thr': [0.68], 'layers.1.kernel': [0.8], embedding: [0.95] });
  });

  it('step 2: moments carried, bias corrections of step 2', () => {
    const p = start();
    const state = newAdamWState(p);
    adamWStep(p, gradients(1), state, settings, 0.1, masks);
    adamWStep(p, gradients(-1), state, settings, 0.1, masks);
    expectClose(values(p), {
      'layers.0.kernel': [0.8531667, 0, -0.9025], 'layers.0.thr': [0.7866667], 'layers.1.kernel': [0.64], embedding: [0.9025],
    });
    expect(state.step).toBe(2);
    expect(Array.from(state.m['layers.0.kernel'])).toEqual([-0.5, 0, 0]);
    expect(Array.from(state.v['layers.0.kernel'])).toEqual([1.75, 0, 0]);
  });

  it('without a thresholds scale, thresholds take the plain learning rate', () => {
    // layers.0.thr = [1], gradient 2: the step-1 update of kernel[0], 0.08, undecayed: 0.92.
    const p = params({ 'layers.0.thr': [1] });
    adamWStep(p, params({ 'layers.0.thr': [2] }), newAdamWState(p), { ...settings, thresholdLrScale: undefined }, 0.1, {});
    expect(p['layers.0.thr'].data[0]).toBeCloseTo(0.92, 6);
  });
});

describe('clipGradNorm on gradients [3, 0] and [4]: global norm √(9 + 0 + 16) = 5', () => {
  const grads = () => params({ a: [3, 0], b: [4] });

  it('max 2.5: scaled by 2.5/5 = 0.5 to [1.5, 0] and [2]; returns the norm before clipping', () => {
    const g = grads();
    expect(clipGradNorm(g, 2.5)).toBe(5);
    expect(values(g)).toEqual({ a: [1.5, 0], b: [2] });
  });

  it('max 10 (above the norm) and max 0 (clipping off): unchanged, norm 5', () => {
    for (const maxNorm of [10, 0]) {
      const g = grads();
      expect(clipGradNorm(g, maxNorm)).toBe(5);
      expect(values(g)).toEqual({ a: [3, 0], b: [4] });
    }
  });
});

describe('per-layer weight decay', () => {
  it('layer 10 of 11 takes the 11th value (two-digit layer numbers)', () => {
    const decays = Array.from({ length: 11 }, (_, l) => l / 100);
    expect(weightDecayOf('layers.10.kernel', decays)).toBe(0.1);
    expect(weightDecayOf('layers.1.kernel', decays)).toBe(0.01);
  });

  it('only a name that starts with layers.N. belongs to layer N: anything else takes the first value', () => {
    expect(weightDecayOf('decoder.layers.1.weight', [0.1, 0.7])).toBe(0.1);
  });

  it('a wrong count names the layers in the singular for one layer, in the plural for more', () => {
    expect(() => checkWeightDecay([0.1, 0.2], 1)).toThrow(
      new UserError('--weight-decay has 2 values (0.1,0.2) but the model has 1 recurrent layer: give one value for all, or 1 (one per layer, first to last)'),
    );
    expect(() => checkWeightDecay([0.1], 2, 'weight-decay')).toThrow(
      new UserError('weight-decay has 1 value (0.1) but the model has 2 recurrent layers: give one value for all, or 2 (one per layer, first to last)'),
    );
    expect(() => checkWeightDecay([0.1, 0.2], 2)).not.toThrow();
    expect(() => checkWeightDecay(0.1, 5)).not.toThrow();
  });
});

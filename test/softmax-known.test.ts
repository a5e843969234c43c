/**
 * softmaxCrossEntropyInPlace (models/softmax.ts) on rows whose probabilities are simple fractions: logits
 * [0, ln 2, 0] give p = [1, 2, 1]/4, [1000, 1001, 1000] give p = [1, e, 1]/(2 + e) (only after the row's maximum
 * is taken off: e^1000 overflows a double; whole numbers, since a float32 near 1000 keeps only ~4 decimals), [0, −1000] gives p = [1, e^−1000 ≈ 0]. The loss is Σ −ln p[target],
 * the logits become (p − onehot)·scale, and each row's ln p[target] is written out when asked for.
 *
 * Mutant left alive, equivalent: `logits[base + v] >= max` in the maximum (an equal value leaves it the same).
 */
import { softmaxCrossEntropyInPlace } from '../models/softmax';

const LN2 = Math.log(2), LN3 = Math.log(3);
// e = 2.718282: 1/(2 + e) = 0.211942, e/(2 + e) = 0.576117, ln(2 + e) = 1.551444.

describe('softmaxCrossEntropyInPlace', () => {
  it('two rows of three words: loss, log-probabilities and (p − onehot)·scale', () => {
    // A third row stays as it is: only `rows` rows are touched.
    const logits = Float32Array.from([0, LN2, 0, 1000, 1001, 1000, 7, 8, 9]);
    const targets = Int32Array.from([0, 2, 1]);
    const logProbs = new Float32Array(3).fill(99);
    const loss = softmaxCrossEntropyInPlace(logits, 2, 3, targets, 0.5, logProbs);
    // Row 0, target 0: p = 1/4, ln p = −ln 4. Row 1, target 2: p = 1/(2 + e), ln p = −ln(2 + e).
    // Loss ln 4 + ln(2 + e) = ln(8 + 4e).
    expect(loss).toBeCloseTo(Math.log(8 + 4 * Math.E), 5);
    expect(logProbs[0]).toBeCloseTo(-Math.log(4), 5);
    expect(logProbs[1]).toBeCloseTo(-Math.log(2 + Math.E), 5);
    expect(logProbs[2]).toBe(99);
    // Gradients with scale 1/2: row 0 [(1/4 − 1)/2, (1/2)/2, (1/4)/2] = [−3/8, 1/4, 1/8];
    // row 1 [1/(2 + e), e/(2 + e), 1/(2 + e) − 1]/2 = [0.105971, 0.288058, −0.394029].
    const expected = [-3 / 8, 1 / 4, 1 / 8, 0.105971, 0.288058, -0.394029, 7, 8, 9];
    expected.forEach((v, i) => expect(logits[i]).toBeCloseTo(v, 6));
  });

  it('without a log-probability array, the same loss and gradients', () => {
    const logits = Float32Array.from([0, LN3]);
    // p = [1/4, 3/4], target 1: loss −ln(3/4) = ln(4/3); scale 2: [(1/4)·2, (3/4 − 1)·2] = [1/2, −1/2].
    const loss = softmaxCrossEntropyInPlace(logits, 1, 2, Int32Array.from([1]), 2, null);
    expect(loss).toBeCloseTo(Math.log(4 / 3), 6);
    expect(logits[0]).toBeCloseTo(0.5, 6);
    expect(logits[1]).toBeCloseTo(-0.5, 6);
  });

  it('a vanishing probability still gives a finite log-probability, from the logit itself', () => {
    // Logits [0, −1000], target 1: p = e^−1000 underflows to 0 but ln p = −1000 − 0 − ln(1 + e^−1000) = −1000.
    const logits = Float32Array.from([0, -1000]);
    const logProbs = new Float32Array(1);
    const loss = softmaxCrossEntropyInPlace(logits, 1, 2, Int32Array.from([1]), 1, logProbs);
    expect(loss).toBe(1000);
    expect(logProbs[0]).toBe(-1000);
    // Gradients: [1 − 0, 0 − 1] = [1, −1].
    expect(Array.from(logits)).toEqual([1, -1]);
  });

  it('the maximum is taken over the whole row, wherever it sits', () => {
    // The largest logit last: [1000, 1000, 1001]. Exps relative to the maximum [1/e, 1/e, 1] → p = [1, 1, e]/(2 + e)
    // = [0.211942, 0.211942, 0.576117]; target 0: loss ln(2 + e) = 1.551444, scale 1: [p0 − 1, p1, p2].
    const logits = Float32Array.from([1000, 1000, 1001]);
    const loss = softmaxCrossEntropyInPlace(logits, 1, 3, Int32Array.from([0]), 1, null);
    expect(loss).toBeCloseTo(1.551444, 5);
    [-0.788058, 0.211942, 0.576117].forEach((v, i) => expect(logits[i]).toBeCloseTo(v, 5));
  });

  it('a row whose last logit is far above the rest: only its maximum keeps e^x finite', () => {
    // Logits [0, 0, 800], target 0: relative to the maximum the exps are [e^−800, e^−800, 1] = [0, 0, 1] (e^−800
    // underflows), ln p[0] = 0 − 800 − ln 1 = −800, loss 800, gradients [0 − 1, 0, 1]. Taken relative to any smaller
    // value, e^800 overflows to ∞ and the loss is not finite.
    const logits = Float32Array.from([0, 0, 800]);
    const logProbs = new Float32Array(1);
    expect(softmaxCrossEntropyInPlace(logits, 1, 3, Int32Array.from([0]), 1, logProbs)).toBe(800);
    expect(logProbs[0]).toBe(-800);
    expect(Array.from(logits)).toEqual([-1, 0, 1]);
  });
});

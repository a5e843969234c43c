/**
 * The EGRU surrogate gradient, checked against an independent float64 reference.
 *
 * The event function o = H(c − ϑ) has no useful derivative; the implementation's backward pass replaces dH/dc by
 * γ·max(0, 1 − s·|c − ϑ|). That is exactly the gradient of a model in which o is replaced by its local
 * linearisation around the unperturbed forward pass,
 *   o(c, ϑ) = H(c0 − ϑ0) + γ·max(0, 1 − s·|c0 − ϑ0|)·((c − c0) − (ϑ − ϑ0)),
 * with c0, ϑ0 frozen from the unperturbed run (y = o·c, h = c − o·ϑ use this o). That model is smooth in every
 * parameter, so its central differences are the surrogate gradient, up to float32 rounding in the implementation.
 */
import { LayerState } from '../models/cells';
import { ModelConfig } from '../models/config';
import { runWindow, NO_REGULARISATION } from '../models/lm';
import {
  DECODER_BIAS, DECODER_WEIGHT, EMBEDDING, ParamSet, biasName, kernelName, recurrentBiasName, recurrentKernelName, thresholdName,
} from '../models/params';
import { setup, smallConfig } from './helpers/gradcheck';

type F64Params = Record<string, Float64Array>;

interface Frozen {
  /** c0 per (row n = t·B + b, unit k). */
  c0: Float64Array;
  thr0: Float64Array;
}

interface Reference {
  loss: number;
  c: Float64Array;
  /** Unperturbed events, row-major [N, H]. */
  fired: Uint8Array;
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/**
 * One EGRU layer, untied linear decoder, mean softmax cross-entropy over T·B positions, all in float64. Without
 * `frozen`, o = H(c − ϑ) (the real forward pass); with it, o is the linearisation around `frozen`.
 */
function referenceLoss(
  config: ModelConfig, p: F64Params, inputs: Int32Array, targets: Int32Array, init: LayerState, T: number, B: number, frozen: Frozen | null,
): Reference {
  const E = config.emb, V = config.vocabSize, H = config.layers[0], G = 3 * H;
  const gamma = config.surrogateGamma, s = config.surrogateSupport;
  const emb = p[EMBEDDING], W = p[kernelName(0)], R = p[recurrentKernelName(0)], b = p[biasName(0)], br = p[recurrentBiasName(0)];
  const thr = p[thresholdName(0)], D = p[DECODER_WEIGHT], Db = p[DECODER_BIAS];
  const h = Float64Array.from(init.h);
  const y = Float64Array.from(init.y);
  const N = T * B;
  const cAll = new Float64Array(N * H);
  const fired = new Uint8Array(N * H);
  let loss = 0;
  for (let t = 0; t < T; t++) {
    const yPrev = Float64Array.from(y);
    for (let bb = 0; bb < B; bb++) {
      const n = t * B + bb;
      const word = inputs[n];
      const ax = new Float64Array(G), ah = new Float64Array(G);
      for (let q = 0; q < G; q++) {
        let sx = b[q], sh = br[q];
        for (let e = 0; e < E; e++) sx += emb[word * E + e] * W[e * G + q];
        for (let j = 0; j < H; j++) sh += yPrev[bb * H + j] * R[j * G + q];
        ax[q] = sx;
        ah[q] = sh;
      }
      for (let k = 0; k < H; k++) {
        const z = sigmoid(ax[k] + ah[k]);
        const r = sigmoid(ax[H + k] + ah[H + k]);
        const g = Math.tanh(ax[2 * H + k] + r * ah[2 * H + k]);
        const c = z * h[bb * H + k] + (1 - z) * g;
        cAll[n * H + k] = c;
        let o: number;
        if (!frozen) {
          o = c > thr[k] ? 1 : 0;
        } else {
          const c0 = frozen.c0[n * H + k], th0 = frozen.thr0[k];
          o = (c0 > th0 ? 1 : 0) + gamma * Math.max(0, 1 - s * Math.abs(c0 - th0)) * ((c - c0) - (thr[k] - th0));
        }
        fired[n * H + k] = c > thr[k] ? 1 : 0;
        y[bb * H + k] = o * c;
        h[bb * H + k] = c - o * thr[k];
      }
      // Decoder and cross-entropy for this position.
      const logits = new Float64Array(V);
      for (let v = 0; v < V; v++) {
        let sum = Db[v];
        for (let k = 0; k < H; k++) sum += y[bb * H + k] * D[k * V + v];
        logits[v] = sum;
      }
      const max = Math.max(...logits);
      let z = 0;
      for (let v = 0; v < V; v++) z += Math.exp(logits[v] - max);
      loss += max + Math.log(z) - logits[targets[n]];
    }
  }
  return { loss: loss / N, c: cAll, fired };
}

function toF64(params: ParamSet): F64Params {
  return Object.fromEntries(Object.entries(params).map(([n, t]) => [n, Float64Array.from(t.data)]));
}

function implementationGrads(config: ModelConfig, params: ParamSet, inputs: Int32Array, targets: Int32Array, states: LayerState[], T: number, B: number) {
  const r = runWindow(config, params, inputs, targets, states, { steps: T, batch: B, rng: null, regularisation: NO_REGULARISATION });
  const grads: ParamSet = {};
  for (const [name, t] of Object.entries(params)) grads[name] = { shape: t.shape, data: new Float32Array(t.data.length) };
  r.backward(grads);
  return { grads, result: r };
}

describe('EGRU surrogate gradient', () => {
  const T = 5, B = 2;
  const config = smallConfig({ cell: 'egru', vocabSize: 7, emb: 4, layers: [6], surrogateGamma: 0.7, surrogateSupport: 2 });

  it('equals central differences of the linearised float64 reference for every parameter, thresholds included', () => {
    const { params, inputs, targets, states } = setup({ config, steps: T, batch: B, seed: 5 });
    const { grads, result } = implementationGrads(config, params, inputs, targets, states, T, B);
    const p = toF64(params);
    const base = referenceLoss(config, p, inputs, targets, states[0], T, B, null);
    const H = config.layers[0];

    // The float64 reference and the implementation agree on the forward pass itself.
    expect(Math.abs(base.loss - result.lossSum / (T * B))).toBeLessThan(1e-5);
    const y = result.states[0].y;
    for (let k = 0; k < H; k++) expect(y[B * H - H + k] !== 0).toBe(base.fired[(T * B - 1) * H + k] === 1);
    expect(result.eventsPerLayer[0]).toBe(base.fired.reduce((a, v) => a + v, 0));

    // The surrogate must matter in this window: events, and silent units inside the support.
    const thr = p[thresholdName(0)];
    let fired = 0, inSupport = 0;
    for (let n = 0; n < T * B; n++) {
      for (let k = 0; k < H; k++) {
        const d = base.c[n * H + k] - thr[k];
        if (d > 0) fired++;
        else if (config.surrogateSupport * Math.abs(d) < 1) inSupport++;
      }
    }
    expect(fired).toBeGreaterThanOrEqual(5);
    expect(inSupport).toBeGreaterThanOrEqual(5);
    expect(fired).toBeLessThan(T * B * H);

    const frozen: Frozen = { c0: base.c, thr0: Float64Array.from(thr) };
    const eps = 1e-6;
    let worst = 0, checked = 0, worstAt = '';
    for (const [name, values] of Object.entries(p)) {
      for (let i = 0; i < values.length; i++) {
        const keep = values[i];
        values[i] = keep + eps;
        const plus = referenceLoss(config, p, inputs, targets, states[0], T, B, frozen).loss;
        values[i] = keep - eps;
        const minus = referenceLoss(config, p, inputs, targets, states[0], T, B, frozen).loss;
        values[i] = keep;
        const numeric = (plus - minus) / (2 * eps);
        const analytic = grads[name].data[i];
        const err = Math.abs(numeric - analytic) / Math.max(1e-4, Math.abs(numeric) + Math.abs(analytic));
        // `!(err <= worst)`: a NaN gradient (err NaN) must count as a mismatch, which `err > worst` never does.
        if (!(err <= worst)) { worst = Number.isNaN(err) ? Infinity : err; worstAt = `${name}[${i}]: analytic ${analytic}, reference ${numeric}`; }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(250);
    // Float32 storage in the implementation against float64 here: agreement to ~1e-5 relative is typical.
    if (worst >= 5e-4) throw new Error(`worst relative mismatch ${worst} at ${worstAt}`);
    expect(worst).toBeLessThan(5e-4);
  });

  it('differs from the straight-through-zero gradient (γ = 0) on the thresholds, so the check above has teeth', () => {
    const { params, inputs, targets, states } = setup({ config, steps: T, batch: B, seed: 5 });
    const withSurrogate = implementationGrads(config, params, inputs, targets, states, T, B).grads[thresholdName(0)].data;
    const off = { ...config, surrogateGamma: 0 };
    const without = implementationGrads(off, params, inputs, targets, states, T, B).grads[thresholdName(0)].data;
    // With γ = 0 a threshold only acts through the soft reset h = c − o·ϑ; the surrogate adds the event terms.
    let differing = 0;
    for (let k = 0; k < withSurrogate.length; k++) if (Math.abs(withSurrogate[k] - without[k]) > 1e-3 * (Math.abs(withSurrogate[k]) + 1e-3)) differing++;
    expect(differing).toBeGreaterThanOrEqual(3);
  });

  describe('the surrogate function itself, read off a single unit', () => {
    // One unit, one step, batch 1: dL/dϑ = dL/dy · (−c · σ'(c − ϑ)) where σ' is the surrogate (the soft-reset path
    // carries no gradient after the last step of the window). dL/dy comes from the decoder, computed here.
    const gamma = 0.4, support = 5;
    const unit = smallConfig({ cell: 'egru', vocabSize: 3, emb: 2, layers: [1], surrogateGamma: gamma, surrogateSupport: support });

    function surrogateAt(offset: number): { sg: number; c: number } {
      const { params, inputs, targets, states } = setup({ config: unit, steps: 1, batch: 1, seed: 3 });
      // A positive cell state well away from 0, so c·σ' is not tiny.
      states[0].h[0] = 0.8;
      states[0].y[0] = 0;
      params[biasName(0)].data[0] = 2; // z ≈ 1: c ≈ h
      const c = referenceLoss(unit, toF64(params), inputs, targets, states[0], 1, 1, null).c[0];
      const thr = params[thresholdName(0)].data;
      thr[0] = Math.fround(c - offset);
      const theta = thr[0];
      const { grads } = implementationGrads(unit, params, inputs, targets, states, 1, 1);
      // dL/dy at y = o·c from the decoder: Σ_v W[v]·(p_v − [v = target]).
      const V = unit.vocabSize;
      const W = params[DECODER_WEIGHT].data, bias = params[DECODER_BIAS].data;
      const yv = c > theta ? c : 0;
      const logits = Array.from({ length: V }, (_, v) => bias[v] + yv * W[v]);
      const max = Math.max(...logits);
      const z = logits.reduce((a, l) => a + Math.exp(l - max), 0);
      let dLdy = 0;
      for (let v = 0; v < V; v++) dLdy += W[v] * (Math.exp(logits[v] - max) / z - (v === targets[0] ? 1 : 0));
      expect(Math.abs(dLdy * c)).toBeGreaterThan(1e-3);
      return { sg: -grads[thresholdName(0)].data[0] / (dLdy * c), c };
    }

    it('is γ at c = ϑ', () => {
      const { sg, c } = surrogateAt(0);
      expect(c).toBeGreaterThan(0.3);
      expect(sg).toBeCloseTo(gamma, 4);
    });

    it.each([0.05, -0.05, 0.1, -0.15])('is γ·(1 − s·|c − ϑ|) at c − ϑ = %p (inside the support)', (offset) => {
      expect(surrogateAt(offset).sg).toBeCloseTo(gamma * (1 - support * Math.abs(offset)), 4);
    });

    it.each([0.21, -0.21, 0.5, -0.4])('is 0 beyond 1/s at c − ϑ = %p', (offset) => {
      expect(Math.abs(surrogateAt(offset).sg)).toBeLessThan(1e-9);
    });
  });
});

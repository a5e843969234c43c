/** Finite-difference checks of the language model's backward pass. */
import { ModelConfig } from '../../models/config';
import { LayerState } from '../../models/cells';
import { runWindow } from '../../models/lm';
import { ParamSet, initParams } from '../../models/params';
import { Rng } from '../../models/rng';

export interface CheckCase {
  config: ModelConfig;
  steps: number;
  batch: number;
  seed: number;
  thresholdInit?: number;
  /** λ of the activity penalty, checked as part of the loss (dropout stays off). */
  activityPenalty?: number;
}

export function smallConfig(over: Partial<ModelConfig>): ModelConfig {
  return {
    cell: 'egru', vocabSize: 11, emb: 6, layers: [7, 5], tied: false, projection: 0,
    surrogateGamma: 0, surrogateSupport: 1, ...over,
  };
}

export function setup(c: CheckCase) {
  const rng = new Rng(c.seed);
  const params = initParams(c.config, rng, { thresholdInit: c.thresholdInit ?? 0.05 });
  // Larger weights than the default init so that gates saturate differently and events vary.
  for (const [name, t] of Object.entries(params)) {
    if (name.endsWith('.thr')) for (let i = 0; i < t.data.length; i++) t.data[i] = rng.uniform(0.02, 0.2);
    else for (let i = 0; i < t.data.length; i++) t.data[i] = t.data[i] * 2 + (t.shape.length === 1 ? rng.uniform(-0.3, 0.3) : 0);
  }
  const N = c.steps * c.batch;
  const inputs = Int32Array.from({ length: N }, () => rng.int(c.config.vocabSize));
  const targets = Int32Array.from({ length: N }, () => rng.int(c.config.vocabSize));
  const states: LayerState[] = c.config.layers.map((H) => ({
    h: Float32Array.from({ length: c.batch * H }, () => rng.uniform(-0.5, 0.5)),
    y: Float32Array.from({ length: c.batch * H }, () => (rng.next() < 0.5 ? rng.uniform(0.1, 0.6) : 0)),
  }));
  return { params, inputs, targets, states };
}

export function lossAndEvents(c: CheckCase, params: ParamSet, inputs: Int32Array, targets: Int32Array, states: LayerState[]) {
  // A generator is only needed to switch regularisation on; with every dropout at 0 it draws nothing.
  const r = runWindow(c.config, params, inputs, targets, states, {
    steps: c.steps, batch: c.batch, rng: c.activityPenalty ? new Rng(0) : null,
    regularisation: { dropoutEmbedding: 0, dropoutHidden: 0, dropoutOutput: 0, dropConnect: 0, activityPenalty: c.activityPenalty ?? 0 },
  });
  return { loss: r.lossSum / (c.steps * c.batch) + r.penaltyLoss, pattern: r.projections.map((p) => Array.from(p.active.idx).join(',')).join('|'), result: r };
}

export function analyticGrads(c: CheckCase, params: ParamSet, inputs: Int32Array, targets: Int32Array, states: LayerState[]): ParamSet {
  const grads: ParamSet = {};
  for (const [name, t] of Object.entries(params)) grads[name] = { shape: t.shape, data: new Float32Array(t.data.length) };
  lossAndEvents(c, params, inputs, targets, states).result.backward(grads);
  return grads;
}

/** Compares analytic and central-difference gradients on `perTensor` entries of each tensor; returns the worst mismatch. */
export function worstMismatch(c: CheckCase, perTensor = 12, eps = 1e-2): { worst: number; checked: number; skipped: number } {
  const { params, inputs, targets, states } = setup(c);
  const grads = analyticGrads(c, params, inputs, targets, states);
  const base = lossAndEvents(c, params, inputs, targets, states);
  const pick = new Rng(c.seed + 1);
  let worst = 0, checked = 0, skipped = 0;
  for (const [name, t] of Object.entries(params)) {
    for (let s = 0; s < perTensor; s++) {
      const i = pick.int(t.data.length);
      const keep = t.data[i];
      t.data[i] = keep + eps;
      const plus = lossAndEvents(c, params, inputs, targets, states);
      t.data[i] = keep - eps;
      const minus = lossAndEvents(c, params, inputs, targets, states);
      t.data[i] = keep;
      // A perturbation that flips an event makes the loss jump; the true gradient is only defined away from it.
      if (plus.pattern !== base.pattern || minus.pattern !== base.pattern) { skipped++; continue; }
      const numeric = (plus.loss - minus.loss) / (2 * eps);
      const analytic = grads[name].data[i];
      const err = Math.abs(numeric - analytic) / Math.max(1e-3, Math.abs(numeric) + Math.abs(analytic));
      // A gradient (or loss) that is not a number is the worst mismatch of all: `NaN > worst` is false, so a backward
      // pass reading past the end of an array (undefined → NaN everywhere) used to pass with worst = 0.
      if (!(err <= worst)) worst = Number.isNaN(err) ? Infinity : err;
      checked++;
    }
  }
  return { worst, checked, skipped };
}

/**
 * Per-unit activity from a calibration token stream: the model runs as `neuromap eval` runs it (batch 1,
 * zero initial state, windows carrying the state) and every unit's events are counted. The balance
 * strategy spreads the expected work with it, and placement weighs traffic by it.
 */
import { UserError } from '../models/config';
import type { LayerState } from '../models/cells';
import type { ActiveSet } from '../models/kernels/active';
import { NO_REGULARISATION, initialStates, runWindow, transpose } from '../models/lm';
import type { LanguageModel } from '../models/model';
import { EMBEDDING, layerName } from '../models/params';

/** Events per unit per token, for each population that emits events. */
export interface MeasuredActivity {
  tokens: number;
  embedding: Float32Array;
  layers: Float32Array[];
  /** The projection's non-zero outputs (ReLU), when the model has one. */
  projection: Float32Array | null;
}

const WINDOW = 128;

export function measureActivity(model: LanguageModel, ids: Int32Array, maxTokens = 0): MeasuredActivity {
  const { config, params } = model;
  const available = ids.length - 1;
  if (available < 1) throw new UserError('the calibration text needs at least two tokens (one to read, one to predict)');
  const total = maxTokens > 0 ? Math.min(maxTokens, available) : available;
  const L = config.layers.length;
  const counts = {
    embedding: new Float64Array(config.emb),
    layers: config.layers.map((H) => new Float64Array(H)),
    projection: config.projection > 0 ? new Float64Array(config.projection) : null,
  };
  const tiedDecoder = config.tied ? transpose(params[EMBEDDING].data, config.vocabSize, config.emb) : undefined;
  let states: LayerState[] = initialStates(config, 1);
  for (let start = 0; start < total; start += WINDOW) {
    const T = Math.min(WINDOW, total - start);
    const r = runWindow(config, params, ids.subarray(start, start + T), ids.subarray(start + 1, start + 1 + T), states, {
      steps: T, batch: 1, rng: null, regularisation: NO_REGULARISATION, tiedDecoder,
    });
    // A projection's active inputs are the events of the population that feeds it.
    const active = new Map(r.projections.map((p) => [p.name, p.active]));
    count(active.get(`${layerName(0)}.input`), counts.embedding);
    for (let l = 0; l < L; l++) {
      const consumer = l < L - 1 ? `${layerName(l + 1)}.input` : config.projection > 0 ? 'projection' : 'decoder';
      count(active.get(consumer), counts.layers[l]);
    }
    if (counts.projection) count(active.get('decoder'), counts.projection);
    states = r.states;
  }
  const rate = (c: Float64Array) => Float32Array.from(c, (n) => n / total);
  return {
    tokens: total,
    embedding: rate(counts.embedding),
    layers: counts.layers.map(rate),
    projection: counts.projection ? rate(counts.projection) : null,
  };
}

function count(active: ActiveSet | undefined, into: Float64Array): void {
  if (!active) throw new Error('calibration: a projection the model should have is missing from the forward pass');
  const { ptr, idx } = active;
  for (let q = ptr[0]; q < ptr[ptr.length - 1]; q++) into[idx[q]]++;
}

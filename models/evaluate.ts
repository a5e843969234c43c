/**
 * Evaluation as the paper measures it: batch 1, zero initial state, the stream read left to right; the first
 * token is only context and the last only a target. Reports perplexity, per-layer activity and MACs.
 */
import { ModelConfig } from './config';
import { LayerState } from './cells';
import { initialStates, runWindow, transpose } from './lm';
import { MacReport, ProjectionTally, connectionCounts, macReport, newTally, tallyRows } from './macs';
import { NeuroBenchMetrics, footprint, neurobenchMetrics } from './neurobench';
import { EMBEDDING, ParamSet } from './params';

export interface LayerActivity {
  layer: number;
  units: number;
  events: number;
  activity: number;
  /** Events of each unit over the run: where a layer's activity comes from (the report's histogram). */
  unit_events: number[];
  /** The units that fired at each of the first RASTER_TOKENS tokens (the report's spike raster). */
  raster: number[][];
}

/** Tokens whose events a result keeps unit by unit, for a raster plot: enough to see patterns, small in JSON. */
export const RASTER_TOKENS = 40;

export interface Evaluation {
  /** Predicted tokens (positions with a target). */
  tokens: number;
  loss: number;
  perplexity: number;
  layers: LayerActivity[];
  mean_activity: number;
  macs: MacReport;
  /** NeuroBench's metrics under its names (models/neurobench.ts), a sample being one token. */
  neurobench: NeuroBenchMetrics;
}

export interface EvaluateOptions {
  /** Stop after this many predicted tokens (0 or absent: the whole stream); anything but a whole number ≥ 0 throws. */
  maxTokens?: number;
  /** Window length, a whole number ≥ 1 (default 128); results do not depend on it (the state is carried). */
  window?: number;
  onProgress?: (done: number, total: number) => void;
}

export function evaluate(config: ModelConfig, params: ParamSet, ids: Int32Array, options: EvaluateOptions = {}): Evaluation {
  const available = Math.max(0, ids.length - 1);
  const limit = options.maxTokens ?? 0;
  // The commands check their flags; a caller passing -1 used to get the whole stream, 2.5 a half-token window.
  if (!Number.isInteger(limit) || limit < 0)
    throw new Error(`evaluate: maxTokens must be a whole number of tokens ≥ 0 (0: the whole stream), got ${limit}`);
  const total = limit > 0 ? Math.min(limit, available) : available;
  const W = options.window ?? 128;
  // A window of 0 (or less) never advanced: evaluate looped for ever; a fractional one sliced mid-token.
  if (!Number.isInteger(W) || W < 1) throw new Error(`evaluate: window must be a whole number of tokens ≥ 1, got ${W}`);
  const tiedDecoder = config.tied ? transpose(params[EMBEDDING].data, config.vocabSize, config.emb) : undefined;
  let states: LayerState[] = initialStates(config, 1);
  let lossSum = 0;
  const events = config.layers.map(() => 0);
  const unitEvents = config.layers.map((H) => new Float64Array(H));
  const raster: number[][][] = config.layers.map(() => []);
  let membrane = 0;
  let tallies: ProjectionTally[] | null = null;
  for (let start = 0; start < total; start += W) {
    const T = Math.min(W, total - start);
    const r = runWindow(config, params, ids.subarray(start, start + T), ids.subarray(start + 1, start + 1 + T), states, {
      steps: T, batch: 1, rng: null, tiedDecoder,
      regularisation: { dropoutEmbedding: 0, dropoutHidden: 0, dropoutOutput: 0, dropConnect: 0, activityPenalty: 0 },
    });
    lossSum += r.lossSum;
    r.eventsPerLayer.forEach((e, l) => (events[l] += e));
    r.outputActive.forEach(({ ptr, idx }, l) => {
      for (let q = ptr[0]; q < ptr[T]; q++) unitEvents[l][idx[q]]++;
      for (let t = 0; t < T && start + t < RASTER_TOKENS; t++) raster[l].push(Array.from(idx.subarray(ptr[t], ptr[t + 1])));
    });
    tallies ??= r.projections.map((p) => newTally(config, params, p));
    r.projections.forEach((p, i) => tallyRows(tallies![i], p.active, 0, T, p.values));
    r.membraneChanges.forEach((changes, l) => {
      if (!changes) return;
      // NeuroBench's first call counts every neuron: the stream's first token starts from the zero state.
      for (let t = 0; t < T; t++) membrane += start + t === 0 ? config.layers[l] : changes[t];
    });
    states = r.states;
    options.onProgress?.(start + T, total);
  }
  const layers = config.layers.map((units, layer) => ({
    layer, units, events: events[layer], activity: total ? events[layer] / (units * total) : 0,
    unit_events: Array.from(unitEvents[layer]), raster: raster[layer],
  }));
  const unitsTotal = config.layers.reduce((a, b) => a + b, 0);
  const loss = total ? lossSum / total : NaN;
  return {
    tokens: total, loss, perplexity: Math.exp(loss), layers,
    mean_activity: total ? events.reduce((a, b) => a + b, 0) / (unitsTotal * total) : 0,
    macs: macReport(tallies ?? []),
    neurobench: neurobenchMetrics({
      tokens: total,
      footprint: footprint(config, () => 4, 4),
      ...connectionCounts(tallies ?? []),
      layers, membraneUpdates: membrane,
    }),
  };
}

/**
 * MAC accounting computed two ways: evaluate()'s report against a brute-force count that re-runs the model one
 * token at a time (carrying the state), reads every projection's actual input vector, and counts, for each non-zero
 * input j, the non-zero weights of row j straight from the weight matrix (the tied decoder: column j of the
 * embedding). Also perplexity and activity of the same step-by-step run, at several evaluation window lengths.
 */
import { ModelConfig } from '../models/config';
import { LayerState } from '../models/cells';
import { evaluate } from '../models/evaluate';
import { NO_REGULARISATION, initialStates, runWindow } from '../models/lm';
import {
  DECODER_WEIGHT, EMBEDDING, ParamSet, kernelName, recurrentKernelName, thresholdName,
} from '../models/params';
import { globalMagnitudeMasks } from '../models/prune';
import { Rng } from '../models/rng';
import { applyMasks } from '../models/train';
import { fixtureConfig, randomModel } from './fixtures/model';

interface Counted {
  name: string;
  inputs: number;
  outputs: number;
  /** Σ over tokens of effective MACs, and of non-zero inputs. */
  effective: number;
  activeInputs: number;
  nonZeroWeights: number;
}

interface BruteForce {
  tokens: number;
  logProbSum: number;
  events: number[];
  projections: Counted[];
}

/** Non-zero weights fed by input j of a projection, counted on the matrix as stored. */
type RowCount = (j: number) => number;

function rowCounter(W: Float32Array, outputs: number): RowCount {
  return (j) => {
    let n = 0;
    for (let o = 0; o < outputs; o++) if (W[j * outputs + o] !== 0) n++;
    return n;
  };
}

/** The tied decoder's input j feeds logit v through embedding[v, j]. */
function tiedCounter(emb: Float32Array, V: number, E: number): RowCount {
  return (j) => {
    let n = 0;
    for (let v = 0; v < V; v++) if (emb[v * E + j] !== 0) n++;
    return n;
  };
}

function bruteForce(config: ModelConfig, params: ParamSet, ids: Int32Array, tokens: number): BruteForce {
  const L = config.layers.length, E = config.emb, V = config.vocabSize;
  const projections: { counted: Counted; rows: RowCount }[] = [];
  const add = (name: string, inputs: number, outputs: number, rows: RowCount) => {
    let nnz = 0;
    for (let j = 0; j < inputs; j++) nnz += rows(j);
    projections.push({ counted: { name, inputs, outputs, effective: 0, activeInputs: 0, nonZeroWeights: nnz }, rows });
  };
  for (let l = 0; l < L; l++) {
    const I = l === 0 ? E : config.layers[l - 1], G = 3 * config.layers[l];
    add(`layer${l}.input`, I, G, rowCounter(params[kernelName(l)].data, G));
    add(`layer${l}.recurrent`, config.layers[l], G, rowCounter(params[recurrentKernelName(l)].data, G));
  }
  const last = config.layers[L - 1];
  add('decoder', last, V, config.tied ? tiedCounter(params[EMBEDDING].data, V, E) : rowCounter(params[DECODER_WEIGHT].data, V));
  const count = (p: { counted: Counted; rows: RowCount }, x: Float32Array) => {
    for (let j = 0; j < x.length; j++) {
      if (x[j] === 0) continue;
      p.counted.activeInputs++;
      p.counted.effective += p.rows(j);
    }
  };

  let states: LayerState[] = initialStates(config, 1);
  let logProbSum = 0;
  const events = config.layers.map(() => 0);
  for (let t = 0; t < tokens; t++) {
    const r = runWindow(config, params, ids.subarray(t, t + 1), ids.subarray(t + 1, t + 2), states, {
      steps: 1, batch: 1, rng: null, regularisation: NO_REGULARISATION,
    });
    logProbSum += r.targetLogProbs[0];
    const word = ids[t];
    let x: Float32Array = params[EMBEDDING].data.slice(word * E, (word + 1) * E);
    for (let l = 0; l < L; l++) {
      count(projections[2 * l], x);
      count(projections[2 * l + 1], states[l].y); // y_{t−1}
      const y = r.states[l].y; // y_t: this token's output of layer l
      for (let k = 0; k < y.length; k++) if (y[k] !== 0) events[l]++;
      x = y;
    }
    count(projections[2 * L], x);
    states = r.states;
  }
  return { tokens, logProbSum, events, projections: projections.map((p) => p.counted) };
}

function corpus(V: number, n: number, seed: number): Int32Array {
  const rng = new Rng(seed);
  return Int32Array.from({ length: n }, () => rng.int(V));
}

/** A random model with thresholds that give partial activity, pruned globally to `sparsity` (0: dense). */
function model(config: ModelConfig, sparsity: number, seed: number) {
  const m = randomModel(config, { seed });
  if (config.cell === 'egru') {
    const rng = new Rng(seed + 100);
    for (let l = 0; l < config.layers.length; l++) {
      const thr = m.params[thresholdName(l)].data;
      for (let k = 0; k < thr.length; k++) thr[k] = rng.uniform(0.02, 0.3);
    }
  }
  if (config.tied) {
    // The embedding is never pruned, but it may hold exact zeros (an imported model): put some in, unevenly per
    // column, so counting the tied decoder's rows on the embedding untransposed would give other numbers.
    const emb = m.params[EMBEDDING].data;
    for (let v = 0; v < config.vocabSize; v++) for (let j = 0; j < config.emb; j++) if (v < 2 * j) emb[v * config.emb + j] = 0;
  }
  if (sparsity > 0) {
    m.masks = globalMagnitudeMasks(config, m.params, sparsity);
    applyMasks(m.params, m.masks);
  }
  return m;
}

const cases: [string, ModelConfig, number][] = [
  ['pruned 2-layer EGRU, untied', fixtureConfig({ vocabSize: 17, emb: 6, layers: [9, 7] }), 0.6],
  ['pruned EGRU with a tied decoder', fixtureConfig({ vocabSize: 15, emb: 6, layers: [8, 6], tied: true }), 0.75],
  ['dense GRU', fixtureConfig({ cell: 'gru', vocabSize: 13, emb: 5, layers: [6, 4] }), 0],
];

// Each test builds and evaluates the model itself: Stryker credits only code run inside a test (test/README.md).
describe.each(cases)('MAC accounting: %s', (_label, config, sparsity) => {
  const measured = () => {
    const { params } = model(config, sparsity, 21);
    const ids = corpus(config.vocabSize, 60, 4);
    const tokens = ids.length - 1;
    const reference = bruteForce(config, params, ids, tokens);
    const byWindow = [1, 7, 128].map((window) => ({ window, e: evaluate(config, params, ids, { window }) }));
    return { params, ids, tokens, reference, byWindow };
  };

  it('effective and dense MACs per projection equal the brute-force count', () => {
    const { tokens, reference, byWindow } = measured();
    for (const { e } of byWindow) {
      expect(e.tokens).toBe(tokens);
      expect(e.macs.by_projection.map((p) => p.name)).toEqual(reference.projections.map((p) => p.name));
      reference.projections.forEach((ref, i) => {
        const got = e.macs.by_projection[i];
        expect(got.dense).toBe(ref.inputs * ref.outputs);
        expect(got.effective).toBeCloseTo(ref.effective / tokens, 9);
        expect(got.lambda_activity).toBeCloseTo(ref.activeInputs / (tokens * ref.inputs), 12);
        expect(got.lambda_weight).toBeCloseTo(ref.nonZeroWeights / (ref.inputs * ref.outputs), 12);
        expect(got.lambda_product).toBeCloseTo(got.lambda_activity * got.lambda_weight, 12);
      });
      const dense = reference.projections.reduce((a, p) => a + p.inputs * p.outputs, 0);
      const effective = reference.projections.reduce((a, p) => a + p.effective, 0) / tokens;
      expect(e.macs.dense_per_token).toBe(dense);
      expect(e.macs.effective_per_token).toBeCloseTo(effective, 9);
      expect(e.macs.reduction).toBeCloseTo(dense / effective, 9);
      const perLayer = e.macs.by_layer.reduce((a, l) => a + l.effective, 0);
      expect(perLayer).toBeCloseTo(effective, 9);
    }
  });

  it('the counts are not trivial for this model', () => {
    const { tokens, byWindow } = measured();
    const e = byWindow[0].e;
    const decoder = e.macs.by_projection[e.macs.by_projection.length - 1];
    if (config.cell === 'egru') {
      // Sparse activity: the recurrent and decoder inputs are partly silent.
      expect(decoder.lambda_activity).toBeGreaterThan(0.05);
      expect(decoder.lambda_activity).toBeLessThan(0.95);
      expect(e.macs.effective_per_token).toBeLessThan(0.6 * e.macs.dense_per_token);
    } else {
      // A dense GRU: every input is non-zero except the zero initial state on the first token.
      for (const p of e.macs.by_projection) expect(p.lambda_weight).toBe(1);
      expect(e.macs.by_projection[0].effective).toBe(e.macs.by_projection[0].dense);
      expect(e.macs.by_projection[1].effective).toBeCloseTo(e.macs.by_projection[1].dense * (tokens - 1) / tokens, 9);
    }
    if (sparsity > 0) {
      const weights = e.macs.by_projection.filter((p) => p.name !== 'decoder' || !config.tied);
      const lw = weights.reduce((a, p) => a + p.lambda_weight * p.dense, 0) / weights.reduce((a, p) => a + p.dense, 0);
      expect(lw).toBeCloseTo(1 - sparsity, 2);
    }
    if (config.tied) expect(decoder.lambda_weight).toBeLessThan(1);
  });

  it('λ totals weight each projection by its dense size', () => {
    const { byWindow } = measured();
    const m = byWindow[0].e.macs;
    const dense = m.by_projection.reduce((a, p) => a + p.dense, 0);
    expect(m.lambda_activity).toBeCloseTo(m.by_projection.reduce((a, p) => a + p.lambda_activity * p.dense, 0) / dense, 12);
    expect(m.lambda_weight).toBeCloseTo(m.by_projection.reduce((a, p) => a + p.lambda_weight * p.dense, 0) / dense, 12);
    expect(m.lambda_product).toBeCloseTo(m.lambda_activity * m.lambda_weight, 12);
  });

  it('perplexity and activity equal the step-by-step run, whatever the window length', () => {
    const { tokens, reference, byWindow } = measured();
    const perplexity = Math.exp(-reference.logProbSum / tokens);
    for (const { e } of byWindow) {
      expect(e.perplexity).toBeCloseTo(perplexity, 4);
      expect(Math.abs(e.perplexity / perplexity - 1)).toBeLessThan(1e-6);
      e.layers.forEach((layer, l) => {
        expect(layer.units).toBe(config.layers[l]);
        expect(layer.events).toBe(config.cell === 'egru' ? reference.events[l] : config.layers[l] * tokens);
        expect(layer.activity).toBeCloseTo(layer.events / (layer.units * tokens), 12);
      });
    }
    // The MAC report itself does not depend on the window either.
    expect(byWindow[1].e.macs).toEqual(byWindow[0].e.macs);
    expect(byWindow[2].e.macs).toEqual(byWindow[0].e.macs);
  });

  it('--max-tokens stops after that many predictions', () => {
    const { params, ids } = measured();
    const e = evaluate(config, params, ids, { maxTokens: 20, window: 7 });
    const ref = bruteForce(config, params, ids, 20);
    expect(e.tokens).toBe(20);
    expect(Math.abs(e.perplexity / Math.exp(-ref.logProbSum / 20) - 1)).toBeLessThan(1e-6);
    expect(e.macs.effective_per_token).toBeCloseTo(ref.projections.reduce((a, p) => a + p.effective, 0) / 20, 9);
  });
});

/**
 * examples/fidelity/build.ts OUT_DIR: the configuration of the published EGRU language model on SpiNNaker2
 * (Nazeer et al., AICAS 2024), built in memory with random weights and saved as OUT_DIR/paper95.egru:
 *
 * - vocabulary 10,000 (the Brown corpus vocabulary, so the simulator can run real test text), embedding 750,
 *   EGRU layers 1350,1350,750 with the decoder tied to the embedding (as bench/compile.ts builds the
 *   paper-scale model: a tied decoder needs the last layer to be as wide as the embedding);
 * - 95% of the layer weights (input and recurrent kernels of the three layers; the tied embedding/decoder is
 *   never pruned, see models/prune.ts) removed by global magnitude (globalMagnitudeMasks + applyMasks);
 * - thresholds: the Beta-distributed ones of initParams (mean 0.05), then scaled per layer, first layer first,
 *   by bisection on a few hundred Brown *validation* tokens until each layer's activity (events / units /
 *   token) is TARGET_ACTIVITY. The simulator later runs *test* tokens, so the tuning text is not the measured one.
 *
 * Also writes OUT_DIR/test.txt (the Brown test split, one sentence a line) and OUT_DIR/build.json (the
 * scales, the activity reached, how many units vary from token to token, the weight sparsity).
 *
 *   node -r ts-node/register/transpile-only examples/fidelity/build.ts OUT_DIR [--activity 0.2] [--tune-tokens 300]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ModelConfig } from '../../models/config';
import { loadCorpus } from '../../models/data';
import { readBrown } from '../../models/data/brown';
import { saveModel } from '../../models/file';
import { initialStates, runWindow } from '../../models/lm';
import type { LanguageModel } from '../../models/model';
import { initParams, prunableNames, thresholdName, type ParamSet } from '../../models/params';
import { globalMagnitudeMasks, sparsityByMatrix, prunableSparsity } from '../../models/prune';
import { Rng } from '../../models/rng';
import { applyMasks } from '../../models/train';
import type { LayerState } from '../../models/cells';

const SPARSITY = 0.95;
const SEED = 1;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

interface LayerStats {
  activity: number[];
  /** Per layer: units that fired at least once, units that fired at every token, units that did both (varied). */
  ever: number[];
  always: number[];
  varying: number[];
}

/** Forward pass only (batch 1, zero state) over `ids`: activity per layer and per-unit firing patterns. */
function measure(config: ModelConfig, params: ParamSet, ids: Int32Array): LayerStats {
  const T = ids.length - 1;
  const L = config.layers.length;
  const counts = config.layers.map((H) => new Int32Array(H));
  const events = config.layers.map(() => 0);
  let states: LayerState[] = initialStates(config, 1);
  const W = 100;
  for (let start = 0; start < T; start += W) {
    const n = Math.min(W, T - start);
    const r = runWindow(config, params, ids.subarray(start, start + n), ids.subarray(start + 1, start + 1 + n), states, {
      steps: n, batch: 1, rng: null,
      regularisation: { dropoutEmbedding: 0, dropoutHidden: 0, dropoutOutput: 0, dropConnect: 0, activityPenalty: 0 },
    });
    states = r.states;
    r.eventsPerLayer.forEach((e, l) => (events[l] += e));
    // Projection 2(l+1) (the next layer's input, or the decoder for the last layer) reads layer l's events.
    for (let l = 0; l < L; l++) {
      const a = r.projections[2 * (l + 1)].active;
      for (let k = 0; k < a.idx.length; k++) counts[l][a.idx[k]]++;
    }
  }
  const stats: LayerStats = { activity: [], ever: [], always: [], varying: [] };
  config.layers.forEach((H, l) => {
    let ever = 0, always = 0;
    for (const c of counts[l]) {
      if (c > 0) ever++;
      if (c === T) always++;
    }
    stats.activity.push(events[l] / (H * T));
    stats.ever.push(ever);
    stats.always.push(always);
    stats.varying.push(ever - always);
  });
  return stats;
}

function main(): void {
  const out = process.argv[2];
  if (!out || out.startsWith('--')) throw new Error('usage: build.ts OUT_DIR [--activity 0.2] [--tune-tokens 300]');
  const target = arg('--activity', 0.2);
  const tuneTokens = arg('--tune-tokens', 300);
  fs.mkdirSync(out, { recursive: true });
  const started = Date.now();

  const corpus = loadCorpus();
  const config: ModelConfig = {
    cell: 'egru', vocabSize: corpus.vocab.length, emb: 750, layers: [1350, 1350, 750], tied: true, projection: 0,
    surrogateGamma: 0.3, surrogateSupport: 10,
  };
  const params = initParams(config, new Rng(SEED), { thresholdInit: 0.05 });
  // Global magnitude pruning of *random* weights would not prune each matrix by the same amount: initParams
  // draws each layer's weights uniform in ±1/sqrt(H), so the wider layers 0 and 1 (bound 0.027) would lose
  // 99.98% of their weights and layer 2 (bound 0.037) only 74.5% (measured with this very code before the fix
  // below). A trained model's magnitudes say which weights matter; random ones only say which layer they are
  // in. So the masks are chosen by globalMagnitudeMasks on a copy of the weights divided by each matrix's init
  // bound (one global cut on comparable magnitudes: 95% in every matrix), then applied to the real weights.
  const normalised: ParamSet = {};
  for (const name of prunableNames(config)) {
    const t = params[name], bound = 1 / Math.sqrt(t.shape[1] / 3);
    normalised[name] = { shape: t.shape, data: t.data.map((v) => v / bound) };
  }
  const masks = globalMagnitudeMasks(config, normalised, SPARSITY);
  applyMasks(params, masks);
  // The survivors are the largest 5% of a uniform draw, |w|/bound in [q, 1] with q = 0.95 (mean square
  // (1 − q³) / (3(1 − q)) · bound²), and a pre-activation sums 20× fewer of them than in the dense layer. Scale
  // them so that its variance is the dense initialisation's (n · bound²/3): gain² · (1 − q) · meanSquare = 1/3,
  // gain ≈ 2.65. This keeps the EGRU states c in the range the Beta thresholds (mean 0.05) were made for; it
  // changes values, not which synapses exist.
  const q = SPARSITY, meanSquare = (1 - q ** 3) / (3 * (1 - q));
  const gain = Math.sqrt(1 / 3 / ((1 - q) * meanSquare));
  for (const name of prunableNames(config)) {
    const d = params[name].data;
    for (let i = 0; i < d.length; i++) d[i] *= gain;
  }

  // Thresholds: scale each layer's Beta-distributed thresholds so that its activity on the tuning tokens is
  // `target`; layer l only depends on layers < l, so tune them in order. Bisection on log(scale).
  const tune = corpus.valid.subarray(0, tuneTokens + 1);
  const base = config.layers.map((_, l) => new Float32Array(params[thresholdName(l)].data));
  const scales: number[] = [];
  for (let l = 0; l < config.layers.length; l++) {
    let lo = Math.log(1e-3), hi = Math.log(1e2);
    const set = (logS: number) => {
      const thr = params[thresholdName(l)].data, s = Math.exp(logS);
      for (let k = 0; k < thr.length; k++) thr[k] = base[l][k] * s;
    };
    for (let it = 0; it < 12; it++) {
      const mid = (lo + hi) / 2;
      set(mid);
      const a = measure(config, params, tune).activity[l];
      process.stderr.write(`layer ${l} scale ${Math.exp(mid).toPrecision(4)} activity ${a.toFixed(4)}\n`);
      if (a > target) lo = mid; // too active: higher thresholds
      else hi = mid;
    }
    const chosen = (lo + hi) / 2;
    set(chosen);
    scales.push(Math.exp(chosen));
  }
  const tuned = measure(config, params, tune);

  // The Brown test split as a text file (one sentence a line) for `neuromap simulate --text`.
  const test = readBrown().splits.test;
  fs.writeFileSync(path.join(out, 'test.txt'), test.map((s) => s.slice(0, -1).join(' ')).join('\n') + '\n');
  // and the first 1,000 test tokens, measured here with the model's own forward pass (same activity?).
  const testStats = measure(config, params, corpus.test.subarray(0, 1001));

  const model: LanguageModel = {
    config, params, masks, vocab: corpus.vocab,
    provenance: {
      data: corpus.source, seed: SEED, steps: 0, tokens: 0,
      commands: [`examples/fidelity/build.ts ${process.argv.slice(2).join(' ')}`],
      createdAt: new Date().toISOString(), neuromapVersion: '0.1.0',
      settings: { weights: 'random (initParams, seed 1), untrained', sparsity: SPARSITY, survivorGain: gain, thresholdScales: scales, targetActivity: target },
    },
    metrics: { tune_activity: tuned.activity },
  };
  const file = path.join(out, 'paper95.egru');
  saveModel(file, model);

  const summary = {
    model: file, config, sparsity_prunable: prunableSparsity(config, params),
    by_matrix: sparsityByMatrix(config, params),
    survivor_gain: gain,
    threshold_scales: scales,
    threshold_mean: config.layers.map((_, l) => {
      const t = params[thresholdName(l)].data;
      return t.reduce((a, b) => a + b, 0) / t.length;
    }),
    tune: { split: 'valid', tokens: tuneTokens, ...tuned },
    test_first_1000: { split: 'test', tokens: 1000, ...testStats },
    seconds: (Date.now() - started) / 1000,
  };
  fs.writeFileSync(path.join(out, 'build.json'), JSON.stringify(summary, null, 2) + '\n');
  process.stdout.write(JSON.stringify({ scales, tune: tuned, test_first_1000: testStats, seconds: summary.seconds }) + '\n');
}

main();

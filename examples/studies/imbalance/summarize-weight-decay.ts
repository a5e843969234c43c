/**
 * examples/studies/imbalance/summarize-weight-decay.ts DIR: the tables of study 3's part 2 (per-layer weight
 * decay, run.sh) in markdown, from DIR's *.eval.json, *.compile.json and *.sim.json, and DIR/summary.json.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { jsonIn, pct, si } from './format';

const dir = process.argv[2];
const read = jsonIn(dir);
const count = (x: number) => Math.round(x).toLocaleString('en-US');

const models = fs.readdirSync(dir).filter((f) => f.endsWith('.eval.json')).map((f) => f.replace('.eval.json', '')).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
const decayOf = (m: string) => m.replace(/^wd/, '').replace('-', ',');
const lines: string[] = [];
const digest: Record<string, unknown>[] = [];

lines.push('### Per-layer weight decay: activity, perplexity, MACs (5,000 Brown test tokens, batch 1)', '',
  '| weight decay (layer 0, layer 1) | test perplexity | activity layer 0 | activity layer 1 | decoder inputs/token | effective MACs/token: layer0 / layer1 / decoder | total (reduction vs dense) |',
  '|---|---|---|---|---|---|---|');
for (const m of models) {
  const e = read(`${m}.eval.json`);
  const by = Object.fromEntries(e.macs.by_layer.map((l: { name: string; effective: number }) => [l.name, l.effective]));
  const last = e.layers[e.layers.length - 1];
  lines.push(`| ${decayOf(m)} | ${e.perplexity.toFixed(1)} | ${pct(e.layers[0].activity)} | ${pct(last.activity)} | ${(last.events / e.tokens).toFixed(1)} | ` +
    `${count(by.layer0)} / ${count(by.layer1)} / ${count(by.decoder)} | ${count(e.macs.effective_per_token)} (${(e.macs.dense_per_token / e.macs.effective_per_token).toFixed(1)}×) |`);
  digest.push({ model: m, weight_decay: decayOf(m).split(',').map(Number), perplexity: e.perplexity, activity: e.layers.map((l: { activity: number }) => l.activity),
    macs_by_layer: by, effective_macs_per_token: e.macs.effective_per_token, dense_macs_per_token: e.macs.dense_per_token });
}

lines.push('', '### Per-core load, decoder on the host (300 test tokens)', '',
  '| weight decay | target | strategy | cores (layer0 + layer1) | busy per core per step: layer0 / layer1 (mean) | max / mean busy | imbalance max/mean | latency/token | energy/token | perplexity (these 300 tokens) |',
  '|---|---|---|---|---|---|---|---|---|---|');
for (const m of models) for (const t of ['loihi2', 'spinnaker2']) for (const st of ['pack', 'balance+cal']) {
  const n = `${m}.${t}.host.${st}`;
  const s = read(`${n}.sim.json`), c = read(`${n}.compile.json`);
  if (!s || !c) { lines.push(`| ${decayOf(m)} | ${t} | ${st} | did not compile/simulate | | | | | | |`); continue; }
  const pops: Record<string, number[]> = {};
  for (const p of s.per_core) (pops[p.population] ??= []).push(p.busy_s / s.steps);
  const mean = (v: number[] = []) => v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);
  lines.push(`| ${decayOf(m)} | ${t} | ${st} | ${c.cores_used} (${pops.layer0?.length ?? 0} + ${pops.layer1?.length ?? 0}) | ${si(mean(pops.layer0), 's')} / ${si(mean(pops.layer1), 's')} | ` +
    `${si(s.imbalance.max_busy_s / s.steps, 's')} / ${si(s.imbalance.mean_busy_s / s.steps, 's')} | ${s.imbalance.ratio.toFixed(2)} | ${si(s.latency_per_token_s, 's')} | ${si(s.energy_per_token_j, 'J')} | ${s.perplexity.toFixed(1)} |`);
  digest.push({ name: n, model: m, target: t, strategy: st, cores: c.cores_used, busy_per_population_s: pops, imbalance: s.imbalance,
    latency_per_token_s: s.latency_per_token_s, energy_per_token_j: s.energy_per_token_j, breakdown: s.breakdown, perplexity: s.perplexity, activity: s.layers.map((l: { activity: number }) => l.activity) });
}
fs.writeFileSync(path.join(dir, 'summary.json'), JSON.stringify(digest, null, 1) + '\n');
console.log(lines.join('\n'));

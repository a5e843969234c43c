/**
 * examples/studies/imbalance/summarize.ts OUT_DIR [MODEL...]: the study 3 tables (markdown) from the *.compile.json
 * and *.sim.json files of run.sh, and a small digest (OUT_DIR/summary.json). MODEL as run.sh took it (a file or
 * `pretrained:NAME`; default the two shipped models run.sh defaults to); its runs are named by its bare name.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { jsonIn, pct, si } from './format';

// The JSON files are read untyped (any): their shapes are simulator/report.ts SimReport and the compile summary.
const out = process.argv[2];
const read = jsonIn(out);

/** A model argument's run name, as run.sh makes it: `pretrained:brown-egru` and `x/brown-egru.egru` → brown-egru. */
const runName = (model: string) => path.basename(model.replace(/^pretrained:/, ''), '.egru');
const given = process.argv.slice(3);
const models = (given.length ? given : ['pretrained:brown-egru-p80', 'pretrained:brown-egru']).map(runName);
const targets = ['loihi2', 'spinnaker2'], decoders = ['host', 'chip'], strategies = ['pack', 'pack+cal', 'balance+cal'];
const lines: string[] = [];
const digest: any[] = [];

// 1. Per-layer activity (from the pack runs, decoder on host, loihi2: the same model on the same tokens)
const int = (x: number) => Math.round(x).toLocaleString('en-US');
const count = (x: number) => (x < 100 ? x.toFixed(1) : int(x));
// Each model's pack run with the decoder on the host (loihi2, else spinnaker2): the same model on the same tokens.
const packRuns = models.map((m) => read(`${m}.loihi2.host.pack.sim.json`) ?? read(`${m}.spinnaker2.host.pack.sim.json`));
const first = packRuns.find((s) => s);
lines.push(`### Per-layer activity (${first?.tokens ?? '?'} Brown test tokens, batch 1) and where the work goes`, '',
  '| model | units per layer | activity per layer | decoder inputs/token (= last layer\'s events) | effective MACs/token: per layer / decoder |', '|---|---|---|---|---|');
models.forEach((m, i) => {
  const s = packRuns[i];
  if (!s) return;
  const by = Object.fromEntries(s.macs.by_layer.map((l: any) => [l.name, l.effective]));
  const ev = s.per_token.events_by_layer.reduce((a: number, e: number[]) => a + e[e.length - 1], 0) / s.tokens;
  const layers = s.layers.map((l: any) => l.name);
  lines.push(`| ${m} | ${s.layers.map((l: any) => l.units).join(', ')} | ${s.layers.map((l: any) => pct(l.activity)).join(' / ')} | ${ev.toFixed(1)} | ${[...layers, 'decoder'].map((n: string) => int(by[n])).join(' / ')} |`);
});

// Quantisation: the loihi2 (int8) maps' perplexity next to their fp32 model's on the same tokens (simulate --model)
const quant: string[] = [];
for (const m of models) for (const d of decoders) {
  const q = read(`${m}.loihi2.${d}.pack.sim.json`)?.quantisation;
  if (q) quant.push(`- ${m}, loihi2 int8, decoder ${d}: perplexity ${q.perplexity.toFixed(3)} vs ${q.fp32_perplexity.toFixed(3)} for the fp32 model (${(100 * (q.ratio - 1)).toFixed(3)}%)`);
}
if (quant.length) lines.push('', 'What int8 costs in perplexity on the same tokens (`simulate --model`, pack maps):', '', ...quant);

// 2. Per-core load per configuration
lines.push('', '### Per-core busy time: pack vs balance', '',
  '| model | target | decoder | strategy | cores | busy max / mean per step | imbalance max/mean | busiest resource (population, share of steps; host busy per step) | busy per population: cores × mean per core per step (max/mean within it) | spikes / messages per token (delivery); host I/O in | latency/token | ticks/step | energy/token (host decoder) |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const m of models) for (const t of targets) for (const d of decoders) for (const st of strategies) {
  const n = `${m}.${t}.${d}.${st}`;
  const s = read(`${n}.sim.json`), c = read(`${n}.compile.json`);
  if (!s || !c) { lines.push(`| ${m} | ${t} | ${d} | ${st} | did not compile/simulate | | | | | | | | |`); continue; }
  const steps = s.steps;
  const crit = s.imbalance.critical_core;
  const critPop = s.per_core.find((p: any) => String(p.core) === String(crit))?.population ?? crit;
  const pops: Record<string, number[]> = {};
  for (const p of s.per_core) (pops[p.population] ??= []).push(p.busy_s / steps);
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const popText = Object.entries(pops).map(([k, v]) => `${k}×${v.length} ${si(mean(v), 's')}${v.length > 1 ? ` (max/mean ${(Math.max(...v) / mean(v)).toFixed(2)})` : ''}`).join(', ');
  const ts = s.timestep, h = s.host_per_token;
  const ticks = ts.scheme === 'fixed-tick' ? `${+ts.ticks_per_step.toFixed(2)} (fits ${si(ts.longest_step_work_s, 's')})` : 'barrier';
  const energy = `${si(s.energy_per_token_j, 'J')}${h.compute_energy_j > 0 ? ` (${si(h.compute_energy_j, 'J')})` : ''}`;
  lines.push(`| ${m} | ${t} | ${d} | ${st} | ${c.cores_used} | ${si(s.imbalance.max_busy_s / steps, 's')} / ${si(s.imbalance.mean_busy_s / steps, 's')} | ${s.imbalance.ratio.toFixed(2)} | ${crit === 'host' ? 'host' : `${crit} (${critPop})`}, ${pct(s.imbalance.critical_share)}; host ${si(h.busy_s * s.tokens / steps, 's')} | ${popText} | ${count(s.spikes_per_token)} / ${count(s.messages_per_token)} (${s.delivery}); ${int(s.host_events_per_token.injected)} | ${si(s.latency_per_token_s, 's')} | ${ticks} | ${energy} |`);
  digest.push({ name: n, model: m, target: t, decoder: d, strategy: st, cores: c.cores_used, layer_activity: s.layers.map((l: any) => l.activity),
    imbalance: s.imbalance, busy_per_population_s: Object.fromEntries(Object.entries(pops).map(([k, v]) => [k, v])),
    spikes_per_token: s.spikes_per_token, messages_per_token: s.messages_per_token, delivery: s.delivery, host_events_per_token: s.host_events_per_token,
    latency_per_token_s: s.latency_per_token_s, latency_max_s: s.latency_max_s, energy_per_token_j: s.energy_per_token_j, breakdown: s.breakdown,
    perplexity: s.perplexity, overran_cores: s.overran_cores.length, timestep: s.timestep, host_per_token: s.host_per_token, quantisation: s.quantisation ?? null });
}
fs.writeFileSync(path.join(out, 'summary.json'), JSON.stringify(digest, null, 1) + '\n');
console.log(lines.join('\n'));

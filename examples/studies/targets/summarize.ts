/**
 * examples/studies/targets/summarize.ts OUT_DIR: the study 2 table (markdown) from the compile and simulate JSON
 * files that run.sh wrote, and a small JSON digest of it (OUT_DIR/summary.json).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const out = process.argv[2];
const read = (f: string) => (fs.existsSync(path.join(out, f)) ? JSON.parse(fs.readFileSync(path.join(out, f), 'utf8')) : null);
const si = (x: number, u: string) => {
  if (x === 0) return `0 ${u}`;
  const p = [[1, ''], [1e-3, 'm'], [1e-6, 'µ'], [1e-9, 'n'], [1e-12, 'p']] as const;
  for (const [s, n] of p) if (Math.abs(x) >= s) return `${(x / s).toPrecision(3)} ${n}${u}`;
  return `${x.toExponential(2)} ${u}`;
};
const num = (x: number) => Number(x.toPrecision(3)).toLocaleString('en-US');
const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
const names: Record<string, string> = { synaptic: 'synaptic', neuron: 'neuron', network: 'network', sync: 'sync', static: 'static', host: 'host', compute: 'compute', memory: 'memory' };
/** A breakdown part as text; the host's part is split into its I/O and, with the decoder on the host, the decoder's MACs on its processor. */
const part = (s: any, k: string, v: number, total: number) => {
  const h = s.host_per_token;
  const split = k === 'host' && h?.compute_energy_j > 0 ? `: I/O ${si(v - h.compute_energy_j, 'J')} + decoder ${si(h.compute_energy_j, 'J')}` : '';
  return `${names[k] ?? k} ${si(v, 'J')} (${pct(v / total)}${split})`;
};
/** Fixed tick: ticks a step took (mean) and the longest step's work, i.e. the shortest tick no step would overrun; barrier targets: one step, one barrier. */
const ticks = (t: any) => (t.scheme === 'fixed-tick' ? `${+t.ticks_per_step.toFixed(2)} × ${si(t.tick_s, 's')} (fits: ${si(t.longest_step_work_s, 's')})` : 'barrier');

const rows: string[][] = [];
const digest: any[] = [];
const fp32: Record<string, number> = {};
let tokens = 0;
for (const n of ['loihi2-int8-chip', 'loihi2-int8-host', 'spinnaker2-fp32-chip', 'spinnaker2-fp32-host', 'spinnaker2-int8-chip', 'spinnaker2-int8-host']) {
  const s = read(`${n}.sim.json`), c = read(`${n}.compile.json`);
  if (!s || !c) { rows.push([n, 'did not compile or simulate', '', '', '', '', '', '', '', '', '']); continue; }
  tokens = s.tokens;
  const b = s.breakdown as Record<string, number>;
  const total = s.energy_per_token_j;
  const parts = Object.entries(b).filter(([, v]) => v / total >= 0.005).sort((x, y) => y[1] - x[1]);
  const dominant = parts[0];
  const crit = s.imbalance.critical_core;
  const critPop = crit === 'host' ? 'host' : `core ${crit} (${s.per_core.find((p: any) => p.core === crit)?.population})`;
  const h = s.host_per_token;
  rows.push([
    `${s.target} ${s.arithmetic}, decoder ${s.decoder}`,
    si(total, 'J'),
    parts.map(([k, v]) => part(s, k, v, total)).join(', '),
    `${si(s.latency_per_token_s, 's')} (max ${si(s.latency_max_s, 's')})`,
    ticks(s.timestep),
    num(s.throughput_tokens_per_s),
    `${c.cores_used} / ${c.chips} chip`,
    `${h.macs > 0 ? `${Math.round(h.macs).toLocaleString('en-US')} MACs, ` : ''}busy ${si(h.busy_s, 's')}`,
    `${num(s.spikes_per_token)} / ${num(s.messages_per_token)} (${s.delivery}); host I/O ${num(s.host_events_per_token.injected)} in, ${num(s.host_events_per_token.received)} out`,
    s.perplexity.toFixed(2),
    `${names[dominant[0]] ?? dominant[0]}; busiest resource: ${critPop} (${pct(s.imbalance.critical_share)} of steps)${s.overran_cores.length ? `; ${s.overran_cores.length} cores overran the first tick` : ''}`,
  ]);
  digest.push({ name: n, target: s.target, arithmetic: s.arithmetic, decoder: s.decoder, energy_per_token_j: total, breakdown: b,
    latency_per_token_s: s.latency_per_token_s, latency_max_s: s.latency_max_s, throughput_tokens_per_s: s.throughput_tokens_per_s,
    timestep: s.timestep, host_per_token: h, quantisation: s.quantisation ?? null,
    cores: c.cores_used, chips: c.chips, perplexity: s.perplexity, effective_macs_per_token: s.macs.effective_per_token,
    synaptic_ops_per_token: s.synaptic_ops_per_token, packets_per_token: s.packets_per_token, host_events_per_token: s.host_events_per_token,
    spikes_per_token: s.spikes_per_token, messages_per_token: s.messages_per_token, delivery: s.delivery, hops_per_token: s.hops_per_token,
    imbalance: s.imbalance, overran_cores: s.overran_cores.length, mean_activity: s.mean_activity, layer_activity: s.layers.map((l: any) => l.activity) });
  if (s.arithmetic === 'fp32') fp32[`${s.target}-${s.decoder}`] = s.perplexity;
}
for (const n of ['dense-cpu', 'dense-gpu']) {
  const d = read(`${n}.json`);
  if (!d) continue;
  const b = d.breakdown as Record<string, number>, total = d.energy_per_token_j;
  const parts = Object.entries(b).sort((x, y) => y[1] - x[1]);
  rows.push([`${n} (analytic, dense fp32, batch 1)`, si(total, 'J'), parts.map(([k, v]) => `${k} ${si(v, 'J')} (${pct(v / total)})`).join(', '),
    si(d.latency_per_token_s, 's'), '–', num(d.throughput_tokens_per_s), '1 device', '–', '–', d.perplexity?.toFixed(2) ?? '–', `${parts[0][0]}; ${d.bound}-bound`]);
  digest.push({ name: n, energy_per_token_j: total, breakdown: b, latency_per_token_s: d.latency_per_token_s, throughput_tokens_per_s: d.throughput_tokens_per_s,
    perplexity: d.perplexity, dense_macs_per_token: d.dense_macs_per_token, bound: d.bound });
}
const header = ['target', 'energy/token', 'breakdown (≥0.5%)', 'latency/token', 'ticks/step (shortest fitting tick)', 'tokens/s', 'cores',
  'host per token (decoder MACs, busy)', 'spikes / messages per token (delivery); host I/O events', `ppl (${tokens} tok)`, 'dominant cost'];
const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
// int8 vs fp32 perplexity: against the fp32 source model evaluated on the same tokens (the simulation's `quantisation`),
// and against the simulated spinnaker2 fp32 map with the same decoder placement
const i8 = digest.filter((d) => d.arithmetic === 'int8');
lines.push('', `Perplexity cost of int8 (same ${tokens} tokens): against the fp32 model (simulate's \`quantisation\`) and against the simulated spinnaker2 fp32 map with the same decoder placement:`);
for (const d of i8) {
  const q = d.quantisation, ref = fp32[`spinnaker2-${d.decoder}`];
  const vsModel = q ? `${d.perplexity.toFixed(3)} vs ${q.fp32_perplexity.toFixed(3)} for the fp32 model (${(100 * (q.ratio - 1)).toFixed(3)}%)` : `${d.perplexity.toFixed(3)} (no fp32 model given)`;
  lines.push(`- ${d.target} int8, decoder ${d.decoder}: ${vsModel}${ref ? `; vs ${ref.toFixed(3)} simulated fp32 (${(100 * (d.perplexity / ref - 1)).toFixed(3)}%)` : ''}`);
}
// spinnaker2 at the shortest tick its 1 ms run says no step would overrun (run.sh: --tick)
const fits = ['spinnaker2-fp32-chip', 'spinnaker2-fp32-host', 'spinnaker2-int8-chip', 'spinnaker2-int8-host']
  .map((n) => ({ n, base: read(`${n}.sim.json`), s: read(`${n}.fit.sim.json`) })).filter((r) => r.base && r.s);
if (fits.length) {
  lines.push('', 'spinnaker2 at the shortest tick no step of the 1 ms run overran (`simulate --tick`, the longest step\'s work rounded up to 10 µs):', '',
    '| target | tick | ticks/step | energy/token (at 1 ms) | static | latency/token | tokens/s (at 1 ms) |', '|---|---|---|---|---|---|---|');
  for (const { n, base, s } of fits) {
    lines.push(`| ${s.target} ${s.arithmetic}, decoder ${s.decoder} | ${si(s.timestep.tick_s, 's')} | ${+s.timestep.ticks_per_step.toFixed(2)} | ${si(s.energy_per_token_j, 'J')} (${si(base.energy_per_token_j, 'J')}) | ${si(s.breakdown.static, 'J')} | ${si(s.latency_per_token_s, 's')} | ${num(s.throughput_tokens_per_s)} (${num(base.throughput_tokens_per_s)}) |`);
    digest.push({ name: `${n}.fit`, target: s.target, arithmetic: s.arithmetic, decoder: s.decoder, tick_s: s.timestep.tick_s, timestep: s.timestep,
      energy_per_token_j: s.energy_per_token_j, breakdown: s.breakdown, latency_per_token_s: s.latency_per_token_s, throughput_tokens_per_s: s.throughput_tokens_per_s,
      perplexity: s.perplexity });
  }
}
fs.writeFileSync(path.join(out, 'summary.json'), JSON.stringify(digest, null, 2) + '\n');
console.log(lines.join('\n'));

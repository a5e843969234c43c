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
const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
const names: Record<string, string> = { synaptic: 'synaptic', neuron: 'neuron', network: 'network', sync: 'sync', static: 'static', host: 'host I/O', compute: 'compute', memory: 'memory' };

const rows: string[][] = [];
const digest: any[] = [];
const fp32: Record<string, number> = {};
for (const n of ['loihi2-int8-chip', 'loihi2-int8-host', 'spinnaker2-fp32-chip', 'spinnaker2-fp32-host', 'spinnaker2-int8-chip', 'spinnaker2-int8-host']) {
  const s = read(`${n}.sim.json`), c = read(`${n}.compile.json`);
  if (!s || !c) { rows.push([n, 'did not compile or simulate', '', '', '', '', '', '', '']); continue; }
  const b = s.breakdown as Record<string, number>;
  const total = s.energy_per_token_j;
  const parts = Object.entries(b).filter(([, v]) => v / total >= 0.005).sort((x, y) => y[1] - x[1]);
  const dominant = parts[0];
  rows.push([
    `${s.target} ${s.arithmetic}, decoder ${s.decoder}`,
    si(total, 'J'),
    parts.map(([k, v]) => `${names[k] ?? k} ${si(v, 'J')} (${pct(v / total)})`).join(', '),
    `${si(s.latency_per_token_s, 's')} (max ${si(s.latency_max_s, 's')})`,
    `${s.throughput_tokens_per_s.toPrecision(3)}`,
    `${c.cores_used} / ${c.chips} chip`,
    s.perplexity.toFixed(2),
    `${names[dominant[0]] ?? dominant[0]}; critical: ${s.imbalance.critical_core} (${pct(s.imbalance.critical_share)} of steps)${s.overran_cores.length ? `; ${s.overran_cores.length} cores overran the tick` : ''}`,
  ]);
  digest.push({ name: n, target: s.target, arithmetic: s.arithmetic, decoder: s.decoder, energy_per_token_j: total, breakdown: b,
    latency_per_token_s: s.latency_per_token_s, latency_max_s: s.latency_max_s, throughput_tokens_per_s: s.throughput_tokens_per_s,
    cores: c.cores_used, chips: c.chips, perplexity: s.perplexity, effective_macs_per_token: s.macs.effective_per_token,
    synaptic_ops_per_token: s.synaptic_ops_per_token, packets_per_token: s.packets_per_token, host_events_per_token: s.host_events_per_token,
    imbalance: s.imbalance, overran_cores: s.overran_cores.length, mean_activity: s.mean_activity, layer_activity: s.layers.map((l: any) => l.activity) });
  if (s.arithmetic === 'fp32') fp32[`${s.target}-${s.decoder}`] = s.perplexity;
}
for (const n of ['dense-cpu', 'dense-gpu']) {
  const d = read(`${n}.json`);
  if (!d) continue;
  const b = d.breakdown as Record<string, number>, total = d.energy_per_token_j;
  const parts = Object.entries(b).sort((x, y) => y[1] - x[1]);
  rows.push([`${n} (analytic, dense fp32, batch 1)`, si(total, 'J'), parts.map(([k, v]) => `${k} ${si(v, 'J')} (${pct(v / total)})`).join(', '),
    si(d.latency_per_token_s, 's'), d.throughput_tokens_per_s.toPrecision(3), '1 device', d.perplexity?.toFixed(2) ?? '–', `${parts[0][0]}; ${d.bound}-bound`]);
  digest.push({ name: n, energy_per_token_j: total, breakdown: b, latency_per_token_s: d.latency_per_token_s, throughput_tokens_per_s: d.throughput_tokens_per_s,
    perplexity: d.perplexity, dense_macs_per_token: d.dense_macs_per_token, bound: d.bound });
}
const header = ['target', 'energy/token', 'breakdown (≥0.5%)', 'latency/token', 'tokens/s', 'cores', 'ppl (300 tok)', 'dominant cost'];
const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
// int8 vs fp32 perplexity
const i8 = digest.filter((d) => d.arithmetic === 'int8');
lines.push('', 'Perplexity cost of int8 (vs spinnaker2 fp32, same decoder placement, same 300 tokens):');
for (const d of i8) {
  const ref = fp32[`spinnaker2-${d.decoder}`];
  if (ref) lines.push(`- ${d.target} int8, decoder ${d.decoder}: ${d.perplexity.toFixed(3)} vs ${ref.toFixed(3)} (${(100 * (d.perplexity / ref - 1)).toFixed(3)}%)`);
}
fs.writeFileSync(path.join(out, 'summary.json'), JSON.stringify(digest, null, 2) + '\n');
console.log(lines.join('\n'));

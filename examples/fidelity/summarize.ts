/**
 * examples/fidelity/summarize.ts OUT_DIR: the simulated figures of run.sh next to the published ones, as
 * Markdown on stdout, and their figures as OUT_DIR/summary.json. Reads OUT_DIR/{s2-host,s2-host-fit,s2-chip,l2-host,l2-chip}.sim.json,
 * dense-{gpu,cpu}.json.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

interface Sim {
  tokens: number;
  mean_activity: number;
  layers: { activity: number }[];
  energy_per_token_j: number;
  breakdown: Record<'synaptic' | 'neuron' | 'network' | 'sync' | 'static' | 'host', number>;
  latency_per_token_s: number;
  simulated_s: number;
  synaptic_ops_per_token: number;
  per_core: unknown[];
  overran_cores: number[];
  timestep: { tick_s: number | null; ticks_per_step: number; overrun_steps: number; longest_step_work_s: number };
  host_per_token: { busy_s: number; macs: number; compute_energy_j: number };
  imbalance: { critical_core: number | 'host'; critical_share: number };
  quantisation?: { fp32_perplexity: number; perplexity: number } | null;
  spikes_per_token: number;
  messages_per_token: number;
  delivery: string;
  hops_per_token: number;
  host_events_per_token: { injected: number; received: number };
  neuron_updates_per_token: { active: number; idle: number };
}
interface Dense { energy_per_token_j: number; latency_per_token_s: number; breakdown: Record<'compute' | 'memory' | 'static', number> }

const out = process.argv[2];
if (!out) throw new Error('usage: summarize.ts OUT_DIR');
const read = <T>(f: string): T => JSON.parse(fs.readFileSync(path.join(out, f), 'utf8')) as T;

const mJ = (j: number) => (j * 1e3).toPrecision(3);
const uJ = (j: number) => (j * 1e6).toPrecision(3);
const ms = (s: number) => (s * 1e3).toPrecision(3);
const pct = (x: number) => (x * 100).toFixed(1) + '%';

const rows: string[] = [
  '| run | cores (PEs) | activity per layer | synaptic ops/token | energy/token | synaptic / neuron / network / static / host (µJ) | latency/token | tick: ticks per step, longest step | simulated time ÷ tokens | host busy/token (of it decoder MACs) | busiest resource |',
  '|---|---|---|---|---|---|---|---|---|---|---|',
];
const sims: Record<string, Sim> = {};
for (const [key, label] of [
  ['s2-host', 'spinnaker2 fp32, decoder on host'], ['s2-host-fit', 'spinnaker2 fp32, decoder on host, tick 1.2 ms'], ['s2-chip', 'spinnaker2 fp32, decoder on chip'],
  ['l2-host', 'loihi2 int8, decoder on host'], ['l2-chip', 'loihi2 int8, decoder on chip'],
] as const) {
  const s = read<Sim>(`${key}.sim.json`);
  sims[key] = s;
  const b = s.breakdown;
  rows.push(
    `| ${label} | ${s.per_core.length}${s.overran_cores.length ? ` (${s.overran_cores.length} overran the tick)` : ''} | ${s.layers.map((l) => pct(l.activity)).join(', ')} | ` +
      `${Math.round(s.synaptic_ops_per_token).toLocaleString('en-US')} | ${uJ(s.energy_per_token_j)} µJ | ` +
      `${[b.synaptic, b.neuron, b.network, b.static, b.host].map(uJ).join(' / ')} | ${ms(s.latency_per_token_s)} ms | ` +
      `${s.timestep.tick_s === null ? 'barrier' : `${ms(s.timestep.tick_s)} ms: ${s.timestep.ticks_per_step.toFixed(2)}`}, ${ms(s.timestep.longest_step_work_s)} ms | ${ms(s.simulated_s / s.tokens)} ms | ` +
      `${ms(s.host_per_token.busy_s)} ms (${Math.round(s.host_per_token.macs).toLocaleString('en-US')}) | ` +
      `${s.imbalance.critical_core === 'host' ? 'host' : `core ${s.imbalance.critical_core}`} ${pct(s.imbalance.critical_share)} |`,
  );
}
for (const key of ['dense-gpu', 'dense-cpu'] as const) {
  const d = read<Dense>(`${key}.json`);
  rows.push(
    `| ${key} (analytic, dense fp32) | – | 100% | – | ${uJ(d.energy_per_token_j)} µJ | compute ${uJ(d.breakdown.compute)}, memory ${uJ(d.breakdown.memory)}, static ${uJ(d.breakdown.static)} | ` +
      `${ms(d.latency_per_token_s)} ms | – | – | – | – |`,
  );
}
// How the spikes travel: issue 11's per-destination-core delivery (loihi2) sends one message per (spike,
// destination core or host), multicast (spinnaker2) one per spike; host I/O counts the host's messages.
// Messages count the host's injections too (one per embedding value, or per (value, destination core)); the
// cores' messages per spike leave those out.
rows.push('', '| run | delivery | spikes/token (cores) | messages/token (of them from the host) | cores\' messages per spike | hops/token | host I/O events in / out per token | network energy/token |', '|---|---|---|---|---|---|---|---|');
for (const [key, s] of Object.entries(sims)) {
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  const fromHost = s.host_events_per_token.injected;
  rows.push(`| ${key} | ${s.delivery} | ${n(s.spikes_per_token)} | ${n(s.messages_per_token)} (${n(fromHost)}) | ${((s.messages_per_token - fromHost) / s.spikes_per_token).toFixed(2)} | ${n(s.hops_per_token)} | ` +
    `${n(s.host_events_per_token.injected)} / ${n(s.host_events_per_token.received)} | ${uJ(s.breakdown.network)} µJ |`);
}
fs.writeFileSync(path.join(out, 'summary.json'), JSON.stringify(Object.fromEntries(Object.entries(sims).map(([k, s]) => [k, {
  tokens: s.tokens, cores: s.per_core.length, layer_activity: s.layers.map((l) => l.activity), synaptic_ops_per_token: s.synaptic_ops_per_token,
  energy_per_token_j: s.energy_per_token_j, breakdown: s.breakdown, latency_per_token_s: s.latency_per_token_s, timestep: s.timestep,
  delivery: s.delivery, spikes_per_token: s.spikes_per_token, messages_per_token: s.messages_per_token, hops_per_token: s.hops_per_token,
  host_events_per_token: s.host_events_per_token, host_per_token: s.host_per_token, neuron_updates_per_token: s.neuron_updates_per_token,
  busiest: s.imbalance, quantisation: s.quantisation ?? null,
}])), null, 2) + '\n');
const gpu = read<Dense>('dense-gpu.json');
const s2 = sims['s2-host-fit'];
const quantised = Object.entries(sims).flatMap(([k, s]) => (s.quantisation ? [`${k}: perplexity ${s.quantisation.perplexity.toFixed(1)} against ${s.quantisation.fp32_perplexity.toFixed(1)} in fp32`] : []));
const lines = [
  `Simulated: ${s2.tokens} Brown test tokens, batch 1, sequential schedule.`, '', ...rows, '',
  'Published (nazeer2024): SpiNNaker2 ~65 mJ and ~170 ms per inference at ~0.39 W; A100 ~1.19 J and ~20 ms per inference.', '',
  'Tokens per "inference" that would make the simulated per-token figures equal the published ones:', '',
  '| platform | from energy | from latency |', '|---|---|---|',
  `| SpiNNaker2 (s2-host-fit) | ${(65e-3 / s2.energy_per_token_j).toFixed(0)} | ${(170e-3 / s2.latency_per_token_s).toFixed(0)} |`,
  `| A100 (dense-gpu) | ${(1.19 / gpu.energy_per_token_j).toFixed(0)} | ${(20e-3 / gpu.latency_per_token_s).toFixed(0)} |`,
  '',
  `Energy ratio GPU / SpiNNaker2: simulated ${(gpu.energy_per_token_j / s2.energy_per_token_j).toFixed(1)}× per token; published ${(1.19 / 65e-3).toFixed(1)}× per inference.`,
  '', `Quantisation (int8 maps against the fp32 model on the same tokens): ${quantised.join('; ') || 'none run'}.`,
];
process.stdout.write(lines.join('\n') + '\n');

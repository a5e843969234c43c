/**
 * examples/fidelity/summarize.ts OUT_DIR: the simulated figures of run.sh next to the published ones, as
 * Markdown on stdout. Reads OUT_DIR/{s2-host,s2-host-fit,s2-chip,l2-host,l2-chip}.sim.json, dense-{gpu,cpu}.json.
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

/**
 * OUT.json of `neuromap simulate`: what a run computed (perplexity, events per layer, MACs) and what it
 * cost on the target (operations, packets, energy, latency), per token, per layer, per core and in total.
 *
 * Times: a step starts when its token (or, pipelined, its wave of tokens) enters. A token's latency runs
 * from its step's start to the end of the step that delivers its distribution: the step's last activity (a
 * host-side decoder's compute included), plus the barrier on barrier targets (the host learns the step is
 * over from it). On a fixed tick the next step starts at the first tick boundary after that, so a step that
 * overruns takes whole extra ticks (timestep.ts). Throughput is tokens over the simulated time of the whole
 * run. Energy per token is the run's energy over its tokens, fill and drain of a pipeline included.
 *
 * Per core: busy time (synaptic ops, updates, sends), and the energy of the work it did itself (synaptic
 * ops, neuron updates, spikes generated, messages sent and received) plus its share of static core power; network, host, barrier and chip
 * static energy belong to no single core. Load imbalance is max/mean busy time over the cores in use; the
 * critical core is the resource (a core, or the host with its serial I/O and host-side compute) with the
 * most busy time in the most steps: the one whose work bounds the step from below.
 */
import { resolveTarget } from '../targets/resolve';
import { packetBits } from '../targets/derive';
import type { MacReport } from '../models/macs';
import { totals, type EnergyBreakdown } from './energy';
import type { NmapBody } from './from-nmap';
import { simulatedTallies } from './macs';
import { connectionCounts, macReport } from '../models/macs';
import { elementBytes, footprint, neurobenchMetrics, type NeuroBenchMetrics } from '../models/neurobench';
import type { ModelRun } from './run-model';

export interface CoreReport {
  core: number;
  chip: number;
  x: number;
  y: number;
  population: string;
  units: number;
  busy_s: number;
  /** Busy time over the run's simulated time. */
  utilization: number;
  energy_j: number;
  synaptic_ops: number;
  events_in: number;
  /** Packets the core sent: one per event, or one per set bit of an event on a bit-plane map. */
  events_out: number;
  /** Messages the core sent, each a spike_out: one per packet with multicast delivery, one per (packet, destination core or host) otherwise. */
  messages_out: number;
  active_updates: number;
  idle_updates: number;
  overruns: number;
  /** Steps in which this core was the busiest resource. */
  critical_steps: number;
}

/** The perplexity cost of a quantised map: its fp32 source model on the same tokens (cli/quantisation.ts). */
export interface QuantisationCost {
  /** The fp32 model evaluated. */
  reference: string;
  arithmetic: string;
  fp32_perplexity: number;
  perplexity: number;
  /** Simulated over fp32 perplexity: 1 means quantisation cost nothing measurable. */
  ratio: number;
}

export interface SimReport {
  model: string;
  map: string;
  target: string;
  arithmetic: string;
  schedule: string;
  decoder: string;
  tokens: number;
  steps: number;
  loss: number;
  perplexity: number;
  mean_activity: number;
  /** As `neuromap eval --json` has them (models/evaluate.ts LayerActivity), with the population's name. */
  layers: { layer: number; name: string; units: number; events: number; activity: number; unit_events: number[]; raster: number[][] }[];
  macs: MacReport;
  /**
   * NeuroBench's metrics under its names (models/neurobench.ts), a sample being one token, for the model as the
   * map holds it: weights at their quantised width, the map's stored synapses, the values the cores sent.
   */
  neurobench: NeuroBenchMetrics;
  synaptic_ops_per_token: number;
  neuron_updates_per_token: { active: number; idle: number };
  /** Events emitted on chip (every population, logits included), one per event whatever its encoding. */
  events_per_token: number;
  /** Spikes sent by cores: equal to events, except on bit-plane maps (one spike per set bit of an event). */
  spikes_per_token: number;
  packets_per_token: number;
  /**
   * Messages that entered the network (from cores and host), each with its own send cost: equal to packets with
   * multicast delivery, one per (packet, destination core or host) with per-destination-core delivery.
   */
  messages_per_token: number;
  /** How the target delivers a spike to several cores (targets/README.md routing.delivery). */
  delivery: string;
  hops_per_token: number;
  chip_hops_per_token: number;
  bytes_per_token: number;
  host_events_per_token: { injected: number; received: number };
  /**
   * The host's share of the work: its busy time (serial I/O plus host-side compute) and, with the decoder
   * on the host, the MACs it computes and what they cost on its processor (included in breakdown.host).
   */
  host_per_token: { busy_s: number; macs: number; compute_energy_j: number; processor: string | null };
  /**
   * How steps ended: the scheme, the tick (fixed tick), the mean ticks a step took, the steps that overran
   * their first tick, and the longest step's work from start to last activity: the shortest tick at which no
   * step of this run would have overrun.
   */
  timestep: { scheme: string; tick_s: number | null; ticks_per_step: number; overrun_steps: number; longest_step_work_s: number };
  /** Σ time packets waited for busy links, per token (s). */
  contention_per_token_s: number;
  /** Σ link busy time over (links used × simulated time). */
  link_utilization: number;
  energy_per_token_j: number;
  breakdown: Omit<EnergyBreakdown, 'total'>;
  latency_per_token_s: number;
  latency_max_s: number;
  throughput_tokens_per_s: number;
  simulated_s: number;
  imbalance: { max_busy_s: number; mean_busy_s: number; ratio: number; critical_core: number | 'host'; critical_share: number };
  overran_cores: number[];
  per_core: CoreReport[];
  per_token: { log_prob: number[]; latency_s: number[]; events_by_layer: number[][] };
  per_step: { energy_j: number[]; synaptic_ops: number[]; packets: number[]; duration_s: number[] };
  wall_s: { prepare: number; run: number };
  synaptic_events_per_wall_s: number;
  /** Set by the caller when the map is quantised and its fp32 model is at hand; null when it is not. */
  quantisation?: QuantisationCost | null;
}

export function simulationReport(nmap: NmapBody, run: ModelRun, mapFile: string): SimReport {
  const { map, state, steps, activity, tokens, target } = run;
  const c = state.c, costs = state.costs;
  const t = totals(c);
  const P = map.populations.length;
  const per = (x: number) => x / tokens;
  const last = steps[steps.length - 1];
  const simulated = last.next - steps[0].start;
  const outLag = run.lag[activity.head.from];
  const latency = Array.from({ length: tokens }, (_, k) => steps[k + outLag].end - steps[k].start);
  const tick = state.scheme.name === 'fixed-tick' ? state.scheme.tick : null;
  const energy = sumEnergy(steps.map((s) => s.energy));
  const lossSum = -activity.logProbs.reduce((a, b) => a + b, 0);
  const events = activity.events();
  const egru = map.populations.map((p, i) => ({ p, i })).filter(({ p }) => p.kind === 'egru');
  const layers = egru.map(({ p, i }, layer) => ({
    layer, name: p.name, units: p.size, events: events[i], activity: events[i] / (p.size * tokens),
    unit_events: Array.from(activity.unitEvents[i]), raster: activity.raster[i].map((units) => [...units].sort((a, b) => a - b)),
  }));
  const units = egru.reduce((a, { p }) => a + p.size, 0);
  const tallies = simulatedTallies(nmap, run);
  // A tensor a projection uses has that projection's weight width; the rest (biases, thresholds, state) 4 bytes.
  const weightBits = new Map(nmap.projections.map((p) => [p.matrix, p.weight_bits]));

  const critical = new Float64Array(map.cores.length + 1); // last slot: the host
  for (const s of steps) critical[s.critical < 0 ? map.cores.length : s.critical]++;
  const per_core: CoreReport[] = map.cores.map((core, i) => ({
    core: core.core, chip: core.chip, x: core.x, y: core.y, population: map.populations[core.population].name, units: core.unitEnd - core.unitStart,
    busy_s: c.busy[i], utilization: c.busy[i] / simulated,
    energy_j: c.synOps[i] * costs.synaptic_op.energy + c.activeUpdates[i] * costs.neuron_update_active.energy +
      c.idleUpdates[i] * costs.neuron_update_idle.energy + c.eventsOut[i] * costs.spike_generate.energy +
      c.messagesOut[i] * costs.spike_out.energy + c.eventsIn[i] * costs.message_in.energy + resolveTarget(target).staticPower.coreW * simulated,
    synaptic_ops: c.synOps[i], events_in: c.eventsIn[i], events_out: c.eventsOut[i], messages_out: c.messagesOut[i],
    active_updates: c.activeUpdates[i], idle_updates: c.idleUpdates[i], overruns: c.overruns[i], critical_steps: critical[i],
  }));
  const busy = per_core.map((r) => r.busy_s);
  const maxBusy = Math.max(0, ...busy), meanBusy = busy.length ? busy.reduce((a, b) => a + b, 0) / busy.length : 0;
  let top = map.cores.length;
  critical.forEach((n, i) => n > critical[top] && (top = i));
  const linksUsed = new Set(state.net.edgeLink).size;
  const { total: energyTotal, ...breakdown } = energy;

  return {
    model: nmap.model.name, map: mapFile, target: target.name, arithmetic: map.arith, schedule: run.schedule, decoder: nmap.compiler.decoder,
    tokens, steps: steps.length, loss: lossSum / tokens, perplexity: Math.exp(lossSum / tokens),
    mean_activity: units ? layers.reduce((a, l) => a + l.events, 0) / (units * tokens) : 0,
    layers, macs: macReport(tallies),
    neurobench: neurobenchMetrics({
      tokens, footprint: footprint(nmap.model.config, (name) => elementBytes(weightBits.get(name) ?? 32), 4),
      ...connectionCounts(tallies), layers, membraneUpdates: run.activity.membraneUpdates,
    }),
    synaptic_ops_per_token: per(t.synOps),
    neuron_updates_per_token: { active: per(t.activeUpdates), idle: per(t.idleUpdates) },
    events_per_token: per(events.reduce((a, b) => a + b, 0)),
    spikes_per_token: per(t.eventsOut),
    packets_per_token: per(t.packets),
    messages_per_token: per(t.messages),
    delivery: resolveTarget(target).delivery,
    hops_per_token: per(t.hopsEastWest + t.hopsNorthSouth + t.chipHops),
    chip_hops_per_token: per(t.chipHops),
    bytes_per_token: per(t.messages * packetBits(target, map.arith) / 8),
    host_events_per_token: { injected: per(t.hostEvents), received: per(t.hostReceived) },
    host_per_token: {
      busy_s: per(t.hostBusy), macs: per(t.hostMacs), compute_energy_j: per(t.hostMacs * costs.host_mac.energy),
      processor: activity.head.layers.length ? run.hostProcessor : null,
    },
    timestep: {
      scheme: state.scheme.name, tick_s: tick, ticks_per_step: steps.reduce((a, s) => a + s.ticks, 0) / steps.length,
      overrun_steps: steps.filter((s) => s.overran.length > 0 || s.ticks > 1).length,
      longest_step_work_s: steps.reduce((a, s) => Math.max(a, s.finish - s.start), 0),
    },
    contention_per_token_s: per(t.contention),
    link_utilization: linksUsed && simulated > 0 ? t.linkBusy / (linksUsed * simulated) : 0,
    energy_per_token_j: per(energyTotal),
    breakdown: mapValues(breakdown, per),
    latency_per_token_s: latency.reduce((a, b) => a + b, 0) / tokens,
    latency_max_s: latency.reduce((a, b) => Math.max(a, b), 0),
    throughput_tokens_per_s: tokens / simulated,
    simulated_s: simulated,
    imbalance: {
      max_busy_s: maxBusy, mean_busy_s: meanBusy, ratio: meanBusy > 0 ? maxBusy / meanBusy : 0,
      critical_core: top === map.cores.length ? 'host' : map.cores[top].core, critical_share: critical[top] / steps.length,
    },
    overran_cores: per_core.filter((r) => r.overruns > 0).map((r) => r.core),
    per_core,
    per_token: {
      log_prob: Array.from(activity.logProbs),
      latency_s: latency,
      events_by_layer: Array.from({ length: tokens }, (_, k) => egru.map(({ i }) => activity.eventsByToken[k * P + i])),
    },
    per_step: {
      energy_j: steps.map((s) => s.energy.total), synaptic_ops: steps.map((s) => s.ops.synOps), packets: steps.map((s) => s.ops.packets),
      duration_s: steps.map((s) => s.next - s.start),
    },
    wall_s: run.wall,
    synaptic_events_per_wall_s: run.wall.run > 0 ? t.synOps / run.wall.run : 0,
  };
}

function sumEnergy(parts: EnergyBreakdown[]): EnergyBreakdown {
  const out: EnergyBreakdown = { synaptic: 0, neuron: 0, network: 0, sync: 0, static: 0, host: 0, total: 0 };
  for (const e of parts) for (const k of Object.keys(out) as (keyof EnergyBreakdown)[]) out[k] += e[k];
  return out;
}

function mapValues<T extends Record<string, number>>(o: T, f: (v: number) => number): T {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)])) as T;
}

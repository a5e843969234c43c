/**
 * Known answers for the simulation report's numbers (simulator/report.ts): a report made from a hand-made run
 * result whose every count differs, so that a figure divided where it should be multiplied, a sum that
 * subtracts, a guard that always passes or a field taken from the wrong place changes an answer. The run is
 * hand-made (its steps, counters and activity invented); the map, the engine state and the target are real.
 * Every figure is worked out by hand in the comments. Each test builds its run inside it (Stryker credits
 * only code run there).
 *
 * The target: test/fixtures/priced.yaml (2 chips side by side, each a 2 × 2 mesh of 2-core tiles; router id =
 * chip · 4 + y · 2 + x; the host at router 0; packets of 16 header + 32 payload bits = 6 bytes; static power
 * 0.5 mW per core), with spike_generate 0.5 pJ and message_in 0.25 pJ instead of its zeros, and for the
 * first run a fixed tick of 100 ns instead of its barrier. Energies per operation: synaptic op 1 pJ, active
 * update 10 pJ, idle update 3 pJ, spike out 2 pJ.
 */
import * as path from 'path';
import type { NmapBody } from '../simulator/from-nmap';
import type { ModelRun } from '../simulator/run-model';
import type { StepRecord } from '../simulator/run';
import { simulationReport } from '../simulator/report';
import { prepare } from '../simulator/state';
import { CORE_COUNTS, SYSTEM_COUNTS } from '../simulator/state';
import type { Totals } from '../simulator/energy';
import { loadTarget } from '../targets/load';
import type { Target } from '../targets/schema';
import { fixtureConfig } from './fixtures/model';
import { MapBuilder } from './helpers/map-builder';
import { variantOf } from './helpers/targets';

const ns = 1e-9, pJ = 1e-12;
const priced = loadTarget(path.join(__dirname, 'fixtures', 'priced.yaml'));
const pricedGen = (d: any) => ((d.costs.spike_generate.energy_j.value = 0.5e-12), (d.costs.message_in.energy_j.value = 0.25e-12)); // any: raw target data by key path
const ticking: Target = variantOf(priced, 'priced-ticking', (d) => {
  pricedGen(d);
  d.timestep = { scheme: 'fixed-tick', tick_s: { value: 100e-9, source: 'assumption: invented' } };
});
const barrier: Target = variantOf(priced, 'priced-generating', pricedGen);

/** a/b within a part in 10¹²: the figures are sums and quotients of invented decimals. */
function near(actual: number, want: number): void {
  if (want === 0) expect(actual).toBe(0);
  else expect(actual / want).toBeCloseTo(1, 12);
}

/** A step's counts: only the two per_step reads (synaptic ops, packets); the rest 0. */
function ops(synOps: number, packets: number): Totals {
  const t = Object.fromEntries([...CORE_COUNTS, ...SYSTEM_COUNTS].map((k) => [k, 0])) as Totals;
  return { ...t, synOps, packets };
}

/** A step from its times in ns and its energy parts in pJ (total their sum, as energy.ts makes it). */
function step(start: number, finish: number, end: number, next: number, ticks: number, overran: number[], critical: number,
  e: [number, number, number, number, number, number], synOps = 0, packets = 0): StepRecord {
  const [synaptic, neuron, network, sync, stat, host] = e.map((x) => x * pJ);
  return {
    start: start * ns, finish: finish * ns, end: end * ns, next: next * ns, ticks, overran, critical, ops: ops(synOps, packets),
    energy: { synaptic, neuron, network, sync, static: stat, host, total: synaptic + neuron + network + sync + stat + host },
  };
}

/**
 * The hand-made run: the fields of ModelRun the report reads, no more. The activity is ModelActivity's data
 * (a class with private parts), the host model unused: hence the casts.
 */
function handRun(fields: Omit<Partial<ModelRun>, 'activity'> & { activity: object }): ModelRun {
  return { schedule: 'pipelined', macsByPair: new Float64Array(9), binaryMacsByPair: new Float64Array(9), hostProcessor: 'dense-cpu', ...fields } as unknown as ModelRun;
}

/** A body with no projections (so no MAC tallies): the report reads the model's name and config and the decoder's place. */
const nmap = (): NmapBody => ({ model: { name: 'hand', config: fixtureConfig({ layers: [4, 2] }) }, compiler: { decoder: 'chip' }, projections: [] }) as unknown as NmapBody;

/**
 * Host embedding (1 source) → layer0 (EGRU, 4 units) → layer1 (EGRU, 2 units). Map order: core 2 (layer0 units
 * 1–3, chip 0 tile (1,0), router 1), core 0 (layer0 unit 0, router 0), core 9 (layer1, chip 1 tile (0,0),
 * router 4). Routes: the embedding from router 0 to core 0 (no edge) and to core 2 (router 0 → 1: link 0·4+0,
 * east); layer0 unit 0 from router 0 to core 9: 0 → 1 (link 0 again) and 1 → 4 (link 1·4+0). Links used: 2.
 */
function threeCores(target: Target) {
  const b = new MapBuilder(target);
  const emb = b.population({ name: 'embedding', kind: 'embedding', where: 'host', size: 1, slots: 1, inputs: [] });
  const L0 = b.population({ name: 'layer0', kind: 'egru', where: 'chip', size: 4, slots: 4, inputs: [emb] });
  const L1 = b.population({ name: 'layer1', kind: 'egru', where: 'chip', size: 2, slots: 4, inputs: [L0] });
  const c2 = b.core({ core: 2, population: L0, unitStart: 1, unitEnd: 4 });
  const c0 = b.core({ core: 0, population: L0, unitStart: 0, unitEnd: 1 });
  const c9 = b.core({ core: 9, population: L1, unitStart: 0, unitEnd: 2 });
  b.synapse(c2, b.source(emb, 0), 0, 0, 1).synapse(c0, b.source(emb, 0), 0, 0, 1).synapse(c9, b.source(L0, 0), 0, 0, 1);
  return b.build();
}

describe('simulation report from a hand-made run', () => {
  it('aggregates a pipelined run on a fixed tick: per layer, per core, per token, per step, in total', () => {
    const map = threeCores(ticking);
    const state = prepare(map, ticking);
    const c = state.c;
    // Run totals per core (map order: core 2, core 0, core 9).
    c.busy.set([240 * ns, 80 * ns, 160 * ns]);
    c.synOps.set([30, 7, 12]);
    c.activeUpdates.set([5, 2, 6]);
    c.idleUpdates.set([7, 3, 4]);
    c.eventsOut.set([4, 2, 3]);
    c.messagesOut.set([6, 5, 7]);
    c.eventsIn.set([9, 11, 13]);
    c.overruns.set([1, 2, 0]);
    Object.assign(c, {
      packets: 10, messages: 22, hopsEastWest: 5, hopsNorthSouth: 3, chipHops: 2, hostEvents: 4, hostReceived: 8, hostBusy: 120 * ns,
      contention: 20 * ns, linkBusy: 240 * ns,
    });
    // 4 tokens; the head reads layer1 (population 2), one step behind: token k's distribution ends step k + 1.
    // Tick 100 ns. Steps (ns): start, finish, end, next, ticks, cores overran (map index), busiest (−1: host).
    const steps = [
      step(200, 260, 260, 300, 1, [], 0, [1, 2, 3, 0, 5, 7], 11, 2), // on time
      step(300, 420, 420, 500, 2, [], 2, [2, 2, 3, 0, 5, 7], 12, 3), // the host ran past the tick: 2 ticks, no core
      step(500, 600, 600, 600, 1, [1], -1, [3, 2, 3, 0, 5, 7], 13, 1), // core 0 a hair past the tick, within its tolerance
      step(600, 640, 640, 700, 1, [], 0, [4, 2, 3, 0, 5, 7], 6, 2),
      step(700, 930, 930, 1000, 3, [0, 1], 2, [5, 2, 3, 0, 5, 7], 7, 2), // 3 ticks, cores 2 and 0 overran
    ];
    const activity = {
      head: { from: 2, layers: [] },
      logProbs: Float64Array.of(-1, -2, -0.5, -1.5),
      // Events per population (embedding, layer0, layer1): per token 1 + 2 + 2, 1 + 1 + 1, 1 + 3 + 0, 1 + 0 + 2.
      events: () => [4, 6, 5],
      eventsByToken: Float64Array.of(1, 2, 2, 1, 1, 1, 1, 3, 0, 1, 0, 2),
      unitEvents: [Float64Array.of(4), Float64Array.of(1, 2, 1, 2), Float64Array.of(2, 3)],
      // Units that fired per token, in the order they fired.
      raster: [[[0], [0], [0], [0]], [[3, 1], [0], [2, 3, 1], []], [[1, 0], [1], [], [1, 0]]],
      membraneUpdates: 24, hostInjected: 4, binaryByToken: new Uint8Array(12),
    };
    const run = handRun({ state, steps, target: ticking, map, lag: Int32Array.of(0, 0, 1), tokens: 4, activity, wall: { prepare: 0.5, run: 0.25 } });
    const r = simulationReport(nmap(), run, 'hand.nmap');

    expect([r.model, r.map, r.target, r.arithmetic, r.schedule, r.decoder, r.tokens, r.steps]).toEqual(['hand', 'hand.nmap', 'priced-ticking', 'fp32', 'pipelined', 'chip', 4, 5]);
    // Σ log p = −5: loss 5/4 = 1.25, perplexity e^1.25 = 3.490342957461841.
    near(r.loss, 1.25);
    near(r.perplexity, 3.490342957461841);
    // Layers: layer0 6 events over 4 units × 4 tokens = 0.375; layer1 5 over 2 × 4 = 0.625; the mean over
    // both, (6 + 5) / (6 units × 4 tokens) = 11/24 (the embedding's events do not count).
    expect(r.layers.map(({ layer, name, units, events, unit_events }) => ({ layer, name, units, events, unit_events }))).toEqual([
      { layer: 0, name: 'layer0', units: 4, events: 6, unit_events: [1, 2, 1, 2] },
      { layer: 1, name: 'layer1', units: 2, events: 5, unit_events: [2, 3] },
    ]);
    near(r.layers[0].activity, 0.375);
    near(r.layers[1].activity, 0.625);
    near(r.mean_activity, 11 / 24);
    // The raster in unit order.
    expect(r.layers[0].raster).toEqual([[1, 3], [0], [1, 2, 3], []]);
    expect(r.layers[1].raster).toEqual([[0, 1], [1], [], [0, 1]]);
    expect(r.per_token.events_by_layer).toEqual([[2, 2], [1, 1], [3, 0], [0, 2]]);
    expect(r.per_token.log_prob).toEqual([-1, -2, -0.5, -1.5]);

    // Time: simulated from step 0's start (200 ns) to the last step's next (1000 ns): 800 ns; 4 tokens in it,
    // 5 × 10⁶ tokens/s. Latency of token k: step k + 1's end − step k's start: 420 − 200 = 220, 600 − 300 = 300,
    // 640 − 500 = 140, 930 − 600 = 330 ns; mean (220 + 300 + 140 + 330) / 4 = 247.5 ns, max 330.
    near(r.simulated_s, 800 * ns);
    near(r.throughput_tokens_per_s, 5e6);
    r.per_token.latency_s.forEach((x, k) => near(x, [220, 300, 140, 330][k] * ns));
    near(r.latency_per_token_s, 247.5 * ns);
    near(r.latency_max_s, 330 * ns);
    // Steps: next − start 100, 200, 100, 100, 300 ns; their synaptic ops and packets as recorded.
    r.per_step.duration_s.forEach((x, k) => near(x, [100, 200, 100, 100, 300][k] * ns));
    expect(r.per_step.synaptic_ops).toEqual([11, 12, 13, 6, 7]);
    expect(r.per_step.packets).toEqual([2, 3, 1, 2, 2]);
    // Timestep: the 100 ns tick; 8 ticks over 5 steps = 1.6 per step; steps 1 (2 ticks), 2 (a core overran)
    // and 4 (both) overran: 3; the longest work finish − start: 60, 120, 100, 40, 230 ns → 230 ns.
    expect(r.timestep.scheme).toBe('fixed-tick');
    near(r.timestep.tick_s!, 100 * ns);
    near(r.timestep.ticks_per_step, 1.6);
    expect(r.timestep.overrun_steps).toBe(3);
    near(r.timestep.longest_step_work_s, 230 * ns);

    // Energy: per step synaptic 1..5 pJ (15 in all), neuron 2, network 3, sync 0, static 5, host 7 each
    // (× 5 steps: 10, 15, 0, 25, 35); total 15 + 10 + 15 + 25 + 35 = 100 pJ; per token a quarter of each.
    near(r.energy_per_token_j, 25 * pJ);
    expect(Object.keys(r.breakdown)).toEqual(['synaptic', 'neuron', 'network', 'sync', 'static', 'host']);
    Object.entries({ synaptic: 3.75, neuron: 2.5, network: 3.75, sync: 0, static: 6.25, host: 8.75 }).forEach(([k, v]) => near(r.breakdown[k as 'host'], v * pJ));
    // Each step's total: its synaptic part + 2 + 3 + 0 + 5 + 7 = 18 … 22 pJ.
    r.per_step.energy_j.forEach((x, k) => near(x, [18, 19, 20, 21, 22][k] * pJ));

    // Per token: synaptic ops 49/4, updates 13/4 and 14/4, spikes 9/4, packets 10/4, messages 22/4; hops
    // 5 east-west + 3 north-south + 2 chip hops = 10 → 2.5, chip hops 0.5; bytes 22 messages × 6 = 132 → 33;
    // host I/O 4 in and 8 out → 1 and 2; host busy 120 ns → 30 ns; contention 20 ns → 5 ns.
    near(r.synaptic_ops_per_token, 12.25);
    near(r.neuron_updates_per_token.active, 3.25);
    near(r.neuron_updates_per_token.idle, 3.5);
    near(r.spikes_per_token, 2.25);
    near(r.events_per_token, 15 / 4);
    near(r.packets_per_token, 2.5);
    near(r.messages_per_token, 5.5);
    expect(r.delivery).toBe('multicast');
    near(r.hops_per_token, 2.5);
    near(r.chip_hops_per_token, 0.5);
    near(r.bytes_per_token, 33);
    expect(r.host_events_per_token).toEqual({ injected: 1, received: 2 });
    near(r.host_per_token.busy_s, 30 * ns);
    expect(r.host_per_token).toMatchObject({ macs: 0, compute_energy_j: 0, processor: null });
    near(r.contention_per_token_s, 5 * ns);
    // 240 ns of link busy time over 2 links × 800 ns.
    near(r.link_utilization, 0.15);

    // Per core. Energy = ops × prices + 0.5 mW × 800 ns (400 pJ):
    // core 2: 30·1 + 5·10 + 7·3 + 4·0.5 + 6·2 + 9·0.25 = 30 + 50 + 21 + 2 + 12 + 2.25 = 117.25 → 517.25 pJ
    // core 0:  7·1 + 2·10 + 3·3 + 2·0.5 + 5·2 + 11·0.25 = 7 + 20 + 9 + 1 + 10 + 2.75 = 49.75 → 449.75 pJ
    // core 9: 12·1 + 6·10 + 4·3 + 3·0.5 + 7·2 + 13·0.25 = 12 + 60 + 12 + 1.5 + 14 + 3.25 = 102.75 → 502.75 pJ
    // Busiest per step: core 2 (index 0) in steps 0 and 3, core 9 in 1 and 4, the host in 2.
    expect(r.per_core.map(({ core, chip, x, y, population, units, synaptic_ops, events_in, events_out, messages_out, active_updates, idle_updates, overruns, critical_steps }) =>
      [core, chip, x, y, population, units, synaptic_ops, events_in, events_out, messages_out, active_updates, idle_updates, overruns, critical_steps])).toEqual([
      [2, 0, 1, 0, 'layer0', 3, 30, 9, 4, 6, 5, 7, 1, 2],
      [0, 0, 0, 0, 'layer0', 1, 7, 11, 2, 5, 2, 3, 2, 0],
      [9, 1, 0, 0, 'layer1', 2, 12, 13, 3, 7, 6, 4, 0, 2],
    ]);
    r.per_core.forEach((core, i) => {
      near(core.busy_s, [240, 80, 160][i] * ns);
      near(core.utilization, [0.3, 0.1, 0.2][i]);
      near(core.energy_j, [517.25, 449.75, 502.75][i] * pJ);
    });
    // Imbalance: max 240 ns over mean 160 ns = 1.5. Cores 2 and 9 tie at 2 steps each: the first in map
    // order, core 2, is the busiest resource, in 2 of 5 steps.
    near(r.imbalance.max_busy_s, 240 * ns);
    near(r.imbalance.mean_busy_s, 160 * ns);
    near(r.imbalance.ratio, 1.5);
    expect(r.imbalance.critical_core).toBe(2);
    near(r.imbalance.critical_share, 0.4);
    expect(r.overran_cores).toEqual([2, 0]);
    // 49 synaptic ops in 0.25 s of wall time.
    expect(r.wall_s).toEqual({ prepare: 0.5, run: 0.25 });
    near(r.synaptic_events_per_wall_s, 196);
  });

  it('an idle run on a barrier with no links: no tick, no imbalance, no link use, the host the busiest, no wall time', () => {
    // Host embedding → layer0 (EGRU, 2 units) on cores 0 and 1, the tile at router 0 with the host: no edges.
    const b = new MapBuilder(barrier);
    const emb = b.population({ name: 'embedding', kind: 'embedding', where: 'host', size: 1, slots: 1, inputs: [] });
    const L0 = b.population({ name: 'layer0', kind: 'egru', where: 'chip', size: 2, slots: 4, inputs: [emb] });
    const c0 = b.core({ core: 0, population: L0, unitStart: 0, unitEnd: 1 });
    const c1 = b.core({ core: 1, population: L0, unitStart: 1, unitEnd: 2 });
    b.synapse(c0, b.source(emb, 0), 0, 0, 1).synapse(c1, b.source(emb, 0), 0, 0, 1);
    const map = b.build();
    const state = prepare(map, barrier);
    // Nothing counted on chip; two steps of 50 ns each (start 0), the host the busiest in both.
    const steps = [step(0, 40, 50, 50, 1, [], -1, [0, 0, 0, 1, 2, 3]), step(50, 90, 100, 100, 1, [], -1, [0, 0, 0, 1, 2, 3])];
    const activity = {
      head: { from: 1, layers: [] }, logProbs: Float64Array.of(-1, -1), events: () => [2, 0], eventsByToken: Float64Array.of(1, 0, 1, 0),
      unitEvents: [Float64Array.of(2), Float64Array.of(0, 0)], raster: [[[0], [0]], [[], []]], membraneUpdates: 4, hostInjected: 2, binaryByToken: new Uint8Array(4),
    };
    const r = simulationReport(nmap(), handRun({ state, steps, target: barrier, map, lag: Int32Array.of(0, 0), tokens: 2, activity, wall: { prepare: 0, run: 0 } }), 'idle.nmap');
    expect(r.timestep.scheme).toBe('barrier');
    expect(r.timestep.tick_s).toBeNull();
    expect(r.timestep.overrun_steps).toBe(0);
    near(r.simulated_s, 100 * ns);
    expect(r.link_utilization).toBe(0);
    expect(r.imbalance).toEqual({ max_busy_s: 0, mean_busy_s: 0, ratio: 0, critical_core: 'host', critical_share: 1 });
    expect(r.per_core.map((c) => c.critical_steps)).toEqual([0, 0]);
    expect(r.overran_cores).toEqual([]);
    expect(r.synaptic_events_per_wall_s).toBe(0);
    expect(r.mean_activity).toBe(0);
  });

  it('a run of no simulated time (every step ends where it starts): link use 0, not 0/0', () => {
    const map = threeCores(ticking);
    const state = prepare(map, ticking);
    const steps = [step(50, 50, 50, 50, 1, [], -1, [0, 0, 0, 0, 0, 0])];
    const activity = {
      head: { from: 2, layers: [] }, logProbs: Float64Array.of(-1), events: () => [1, 0, 0], eventsByToken: Float64Array.of(1, 0, 0),
      unitEvents: [Float64Array.of(1), new Float64Array(4), new Float64Array(2)], raster: [[[0]], [[]], [[]]], membraneUpdates: 6, hostInjected: 1, binaryByToken: new Uint8Array(3),
    };
    const r = simulationReport(nmap(), handRun({ state, steps, target: ticking, map, lag: Int32Array.of(0, 0, 0), tokens: 1, activity, wall: { prepare: 0, run: 1 } }), 'still.nmap');
    expect(r.simulated_s).toBe(0);
    expect(r.link_utilization).toBe(0);
  });
});

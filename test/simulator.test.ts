import { loadTarget } from '../targets/load';
import { scripted } from '../simulator/activity';
import { MapBuilder } from './helpers/map-builder';
import { totals } from '../simulator/energy';
import { simulate } from '../simulator/run';
import type { Target } from '../targets/schema';

const tiny = loadTarget('tiny');
const ns = 1e-9, pJ = 1e-12;

/**
 * Host embedding (2 sources) → layer A (2 units, core 0: chip 0, tile (0,0)) → layer B (2 units, core 6: tile (1,1)).
 * A route from core 0 to core 6 takes one east-west hop then one north-south hop.
 */
function twoCoreMap(bToHost = false) {
  const b = new MapBuilder(tiny);
  const emb = b.population({ name: 'embedding', kind: 'embedding', where: 'host', size: 2, slots: 1, inputs: [] });
  const A = b.population({ name: 'A', kind: 'relu', where: 'chip', size: 2, slots: 1, inputs: [emb] });
  const B = b.population({ name: 'B', kind: 'relu', where: 'chip', size: 2, slots: 1, inputs: [A] });
  const a = b.core({ core: 0, population: A, unitStart: 0, unitEnd: 2 });
  const c = b.core({ core: 6, population: B, unitStart: 0, unitEnd: 2 });
  b.synapse(a, b.source(emb, 0), 0, 0, 0.5).synapse(a, b.source(emb, 0), 1, 0, 0.25).synapse(a, b.source(emb, 1), 1, 0, 1);
  b.synapse(c, b.source(A, 0), 0, 0, 1).synapse(c, b.source(A, 0), 1, 0, 1).synapse(c, b.source(A, 1), 1, 0, 1);
  return (bToHost ? b.toHost(B) : b).build();
}

const script = () => scripted({ host: [[[0, 1], [1, 2]], []], fire: { 0: [[0], []] } });

describe('simulator on the tiny target', () => {
  test('known answer: two host events, one layer-A event crossing two hops, barrier', () => {
    const run = simulate(twoCoreMap(), tiny, script(), 2);
    const [s0, s1] = run.steps;
    // Host events leave at 100 and 200 ns, arrive within the group 1 ns later; core 0 serves 2 + 1 synapses
    // (done at 202 ns), updates 2 active units (20 ns), sends one event (2 ns): 224 ns; +1 ns east-west and
    // +2 ns north-south: 227 ns at core 6, 2 synapses (229), 2 active updates (249). Barrier over 2 tiles: 12 ns.
    expect(s0.finish / ns).toBeCloseTo(249, 9);
    expect(s0.end / ns).toBeCloseTo(261, 9);
    expect(s0.ops).toMatchObject({
      synOps: 5, activeUpdates: 4, idleUpdates: 0, eventsOut: 1, hostEvents: 2, packets: 3, deliveries: 3,
      withinGroup: 2, hopsEastWest: 1, hopsNorthSouth: 1, chipHops: 0, contention: 0,
    });
    // 5 synapses + 4 active updates + network (spike out 2, within 2×1, E-W 1, N-S 2) + sync 2 + host 200
    // + static (1 chip × 1 mW + 2 cores × 0.1 mW) × 261 ns.
    const e = s0.energy;
    expect(e.synaptic / pJ).toBeCloseTo(5, 9);
    expect(e.neuron / pJ).toBeCloseTo(40, 9);
    expect(e.network / pJ).toBeCloseTo(7, 9);
    expect(e.sync / pJ).toBeCloseTo(2, 9);
    expect(e.host / pJ).toBeCloseTo(200, 9);
    expect(e.static / pJ).toBeCloseTo(313.2, 6);
    expect(e.total / pJ).toBeCloseTo(567.2, 6);
    expect(run.state.c.busy[0] / ns).toBeCloseTo(25 + 10, 9); // + step 1: 2 idle updates
    expect(run.state.c.busy[1] / ns).toBeCloseTo(22 + 10, 9);
    // Zero input: only idle updates (4 × 5 ns, 5 pJ), the barrier and static power.
    expect(s1.start / ns).toBeCloseTo(261, 9);
    expect((s1.end - s1.start) / ns).toBeCloseTo(32, 9);
    expect(s1.ops).toMatchObject({ synOps: 0, activeUpdates: 0, idleUpdates: 4, packets: 0, hostEvents: 0 });
    expect(s1.energy.neuron / pJ).toBeCloseTo(20, 9);
    expect(s1.energy.synaptic + s1.energy.network + s1.energy.host).toBe(0);
    expect(s1.energy.total / pJ).toBeCloseTo(20 + 2 + 1.2e-3 * 32e-9 / pJ, 6);
  });

  test('known answer: layer-B events travel to the host, two hops, and are received one host I/O each', () => {
    const map = twoCoreMap();
    const withHost = twoCoreMap(true); // B's events also go to router 0: core 6 at (1,1) → west to (0,1) → north to (0,0)
    expect(withHost.routes.count).toBe(map.routes.count + 2);
    const received: [number, number, number][] = [];
    const activity = scripted({ host: [[[0, 1], [1, 2]]], fire: { 0: [[0]], 1: [[0, 1]] } });
    activity.receive = (step, source, value) => received.push([step, source, value]);
    const [s] = simulate(withHost, tiny, activity, 1).steps;
    // Core 6 updates at 227 + 2 synapses = 229, 2 active units until 249, sends at 251 and 253 ns; each takes
    // one east-west (1 ns) and one north-south hop (2 ns): at the host at 254 and 256 ns; the host's channel is
    // free from 200 ns (after injecting), so receipts end at 354 and 454 ns. Barrier over 2 tiles: 12 ns.
    expect(received).toEqual([[0, 4, 1], [0, 5, 1]]);
    expect(s.finish / ns).toBeCloseTo(454, 9);
    expect(s.end / ns).toBeCloseTo(466, 9);
    expect(s.critical).toBe(-1);
    expect(s.ops).toMatchObject({ hostEvents: 2, hostReceived: 2, eventsOut: 3, packets: 5, hopsEastWest: 3, hopsNorthSouth: 3, contention: 0 });
    expect(s.energy.host / pJ).toBeCloseTo(400, 9);
  });

  test('known answer: a fixed tick overrun by the host takes whole ticks; static power follows them', () => {
    const ticking: Target = { ...tiny, timestep: { scheme: 'fixed-tick', tick_s: { value: 300e-9, source: 'assumption: shorter than a step on purpose' } } };
    const map = twoCoreMap(true);
    const injected: number[] = [];
    const run = simulate(map, ticking, scripted({ host: [[[0, 1], [1, 2]], [[1, 1]]], fire: { 0: [[0], []], 1: [[0, 1], []] } }), 2, {
      tracer: () => ({ core: () => {}, link: () => {}, step: () => {}, host: (begin, _end, what) => what === 'inject' && injected.push(begin / ns) }),
    });
    const [s0, s1] = run.steps;
    // Step 0 as on the barrier target, without the barrier: the host receives until 454 ns, past the 300 ns
    // tick. The cores were done by 249 ns, so none overran; the step takes two ticks and ends at its work.
    expect(s0.finish / ns).toBeCloseTo(454, 9);
    expect(s0.end / ns).toBeCloseTo(454, 9);
    expect(s0.ticks).toBe(2);
    expect(s0.next / ns).toBeCloseTo(600, 9);
    expect(s0.overran).toEqual([]);
    // The host was the busiest: 2 injected + 2 received events at 100 ns each, against core 0's 25 ns.
    expect(s0.critical).toBe(-1);
    // Step 1 starts on the boundary, its one host event leaves at once: no queueing behind the last token.
    expect(injected.map((t) => +t.toFixed(6))).toEqual([0, 600]);
    expect(s1.start / ns).toBeCloseTo(600, 9);
    // Step 1 by hand: embedding 1 is injected 600–700 ns, reaches core 0 at 701 (within the group), 1 synapse
    // until 702; A updates 1 active (A1) and 1 idle unit (10 + 5 ns) until 717 and fires nothing; B updates 2
    // idle units until 727 ns. 127 ns of work: one 300 ns tick, the next step at 900 ns.
    expect(s1.finish / ns).toBeCloseTo(727, 9);
    expect(s1.ticks).toBe(1);
    expect(s1.next / ns).toBeCloseTo(900, 9);
    // Static power (1 chip × 1 mW + 2 cores × 0.1 mW = 1.2 mW) over each step's whole ticks: 600 ns, 300 ns.
    expect(s0.energy.static / pJ).toBeCloseTo(720, 6);
    expect(s1.energy.static / pJ).toBeCloseTo(360, 6);
  });

  test('a core still busy at the tick is reported as overrunning it', () => {
    const ticking: Target = { ...tiny, timestep: { scheme: 'fixed-tick', tick_s: { value: 210e-9, source: 'assumption: shorter than core 0 is busy on purpose' } } };
    const run = simulate(twoCoreMap(), ticking, script(), 1);
    // Core 0 is busy until 224 ns, core 6 until 249 ns (the barrier test's figures): both past 210 ns.
    expect(run.steps[0].overran).toEqual([0, 1]);
    expect(run.steps[0].ticks).toBe(2);
    expect(run.state.c.overruns[0]).toBe(1);
  });

  test('conservation: every delivery is served, every event is sent', () => {
    const run = simulate(twoCoreMap(), tiny, script(), 2);
    const t = totals(run.state.c);
    expect(t.deliveries).toBe(t.eventsIn);
    expect(run.state.c.scheduled).toBe(t.eventsIn);
    expect(t.packets).toBe(t.eventsOut + t.hostEvents);
    expect(run.state.inflight.every((n) => n === 0)).toBe(true);
  });

  test('contention: two packets on one link at once, the second waits one hop', () => {
    // Cores 0 and 1 share tile (0,0); both fire at the same time towards core 2 at tile (1,0).
    const b = new MapBuilder(tiny);
    const emb = b.population({ name: 'embedding', kind: 'embedding', where: 'host', size: 1, slots: 1, inputs: [] });
    const A = b.population({ name: 'A', kind: 'relu', where: 'chip', size: 2, slots: 1, inputs: [] });
    const B = b.population({ name: 'B', kind: 'relu', where: 'chip', size: 1, slots: 1, inputs: [A] });
    void emb;
    const a0 = b.core({ core: 0, population: A, unitStart: 0, unitEnd: 1 });
    const a1 = b.core({ core: 1, population: A, unitStart: 1, unitEnd: 2 });
    const c = b.core({ core: 2, population: B, unitStart: 0, unitEnd: 1 });
    void a0, void a1;
    b.synapse(c, b.source(A, 0), 0, 0, 1).synapse(c, b.source(A, 1), 0, 0, 1);
    const run = simulate(b.build(), tiny, scripted({ host: [[]], fire: { 0: [[0]], 1: [[0]] } }), 1);
    const s = run.steps[0];
    // Both update 1 firing (active) unit (10 ns) and send at 12 ns; the link is busy 12–13 ns, so the second packet
    // waits 1 ns and arrives at 14 ns. Core 2 serves at 13 and 14 ns (1 ns each), then updates 1 active unit: 25 ns.
    expect(s.ops.contention / ns).toBeCloseTo(1, 9);
    expect(s.ops.hopsEastWest).toBe(2);
    expect(s.finish / ns).toBeCloseTo(25, 9);
  });

  test('determinism: the same map and script give the same records', () => {
    const a = simulate(twoCoreMap(), tiny, script(), 2).steps;
    const b = simulate(twoCoreMap(), tiny, script(), 2).steps;
    expect(b).toEqual(a);
  });

  test('clear errors: a map for another target, a core beyond its chips', () => {
    const map = twoCoreMap();
    expect(() => simulate({ ...map, target: 'loihi' }, tiny, script(), 1)).toThrow(/compiled for target loihi/);
    expect(() => simulate({ ...map, cores: map.cores.map((c) => ({ ...c, core: c.core + 100 })) }, tiny, script(), 1)).toThrow(/outside/);
  });
});

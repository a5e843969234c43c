/**
 * Known answers that tell every cost term apart: a hand-made map on an invented target whose operations all
 * cost something different (test/fixtures/priced.yaml), with routes that take more east-west hops than
 * north-south ones and cross the chip edge, so that a cost charged at another operation's price, or one
 * hop kind counted as the other, changes an answer. Every figure below is worked out by hand in the
 * comments; none comes from the simulator's own formulas.
 *
 * Prices (energy, latency): synaptic op 1 pJ, 1 ns; active update 10 pJ, 10 ns; idle update 3 pJ, 4 ns;
 * spike out 2 pJ, 2 ns; within group 5 pJ, 1 ns; east-west hop 7 pJ, 3 ns; north-south hop 11 pJ, 6 ns;
 * chip hop 13 pJ, 20 ns; host I/O 100 pJ, 50 ns; barrier 10 ns + 2 ns and 4 pJ per tile in use; static
 * 2 mW per chip and 0.5 mW per core in use. Host-side MACs (passed to the engine): 17 pJ, 9 ns each.
 *
 * Layout (2 chips side by side, each a 2 × 2 mesh of 2-core tiles; grid x 0–3, y 0–1; host at router 0):
 *   core 0 and core 1: chip 0, tile (0,0) = router 0, grid (0,0)
 *   core 14: chip 1, tile (1,1) = router 7, grid (3,1)
 * A route from grid (0,0) to (3,1) goes x first: (0,0)→(1,0) east-west, (1,0)→(2,0) chip hop (the chip edge),
 * (2,0)→(3,0) east-west, then (3,0)→(3,1) north-south: 2 east-west, 1 chip, 1 north-south hop, and the way
 * back to the host is the mirror image.
 */
import * as path from 'path';
import { scripted, type Activity } from '../simulator/activity';
import { MapBuilder } from './helpers/map-builder';
import { continueRun, simulate } from '../simulator/run';
import { prepare } from '../simulator/state';
import { loadTarget } from '../targets/load';
import type { Target } from '../targets/schema';

const priced = loadTarget(path.join(__dirname, 'fixtures', 'priced.yaml'));
const ns = 1e-9, pJ = 1e-12;
const hostMac = { energy: 17e-12, latency: 9e-9 };

/**
 * Host embedding (2 sources) → A (3 units, core 0) → B (3 units, core 14) and C (1 unit, core 1); B's events
 * go to the host. Synapses: embedding 0 → A0 and A1, embedding 1 → A1; A0 → B0, B1, B2 and C0; A1 → B0.
 */
function costMap(target: Target) {
  const b = new MapBuilder(target);
  const emb = b.population({ name: 'embedding', kind: 'embedding', where: 'host', size: 2, slots: 1, inputs: [] });
  const A = b.population({ name: 'A', kind: 'relu', where: 'chip', size: 3, slots: 1, inputs: [emb] });
  const B = b.population({ name: 'B', kind: 'relu', where: 'chip', size: 3, slots: 1, inputs: [A] });
  const C = b.population({ name: 'C', kind: 'relu', where: 'chip', size: 1, slots: 1, inputs: [A] });
  const a = b.core({ core: 0, population: A, unitStart: 0, unitEnd: 3 });
  const bb = b.core({ core: 14, population: B, unitStart: 0, unitEnd: 3 });
  const c = b.core({ core: 1, population: C, unitStart: 0, unitEnd: 1 });
  b.synapse(a, b.source(emb, 0), 0, 0, 0.5).synapse(a, b.source(emb, 0), 1, 0, 0.25).synapse(a, b.source(emb, 1), 1, 0, 1);
  for (const unit of [0, 1, 2]) b.synapse(bb, b.source(A, 0), unit, 0, 1);
  b.synapse(bb, b.source(A, 1), 0, 0, 1);
  b.synapse(c, b.source(A, 0), 0, 0, 1);
  return b.toHost(B).build();
}

/** Step 0: both embedding values; A fires unit 0, B fires units 0 and 2, C nothing; the host then computes 4 MACs. */
function costScript(): Activity {
  const activity = scripted({ host: [[[0, 1], [1, 2]]], fire: { 0: [[0]], 1: [[0, 2]], 2: [[]] } });
  activity.endStep = () => 4;
  return activity;
}

function run(target: Target) {
  const state = prepare(costMap(target), target, hostMac);
  return { state, steps: continueRun(state, costScript(), 0, 1, 0) };
}

// Each test runs the map itself: Stryker credits only code run inside a test, so a run shared at describe level
// would leave every mutant it reaches untested by these known answers.
describe('simulator known answers on a target where every operation costs something different', () => {
  test('operation counts', () => {
    const { steps: [s] } = run(priced);
    // Synaptic ops: core 0 serves 2 + 1 entries, core 14 three (A0's row), core 1 one (A0's row): 7.
    // Updates: A has 2 active units (A0 fires, A1 holds 0.25 + 2) and 1 idle (A2, no input); B 3 active; C 1.
    // Events out: A0, B0, B2. Packets: 2 from the host + 3. Deliveries: embedding 0, 1 to core 0; A0 to
    // cores 1 and 14. Within the group: the two host events (router 0 to core 0) and A0 to core 1.
    // Hops: A0 to core 14 and B0, B2 to the host, each 2 east-west, 1 chip, 1 north-south.
    expect(s.ops).toMatchObject({
      synOps: 7, activeUpdates: 6, idleUpdates: 1, eventsOut: 3, packets: 5, deliveries: 4, eventsIn: 4,
      withinGroup: 3, hopsEastWest: 6, hopsNorthSouth: 3, chipHops: 3, hostEvents: 2, hostReceived: 2, hostMacs: 4,
    });
  });

  test('latency: every event of the step, by hand', () => {
    const { state, steps: [s] } = run(priced);
    // Host injects embedding 0 at 50 ns and embedding 1 at 100 ns (one host I/O of 50 ns each).
    // Core 0: embedding 0 arrives at 51 (within group, 1 ns), 2 synaptic ops until 53; embedding 1 arrives at
    //   101, 1 op until 102; update 2 active × 10 + 1 idle × 4 = 24 ns until 126; sends A0 at 128 (spike out 2).
    // A0 to core 1 (same router): at 129, 1 op until 130, update 1 active until 140.
    // A0 to core 14: east-west 128–131, chip hop 131–151, east-west 151–154, north-south 154–160; 3 ops until
    //   163; update 3 active until 193; sends B0 at 195 and B2 at 197.
    // B0 to the host: east-west 195–198, chip 198–218, east-west 218–221, north-south 221–227.
    // B2 follows on the same links: east-west 198–201 (waits 1 ns), chip 218–238 (waits 17 ns),
    //   east-west 238–241, north-south 241–247. Contention: 18 ns.
    // The host receives at 227 (until 277) and, its channel busy, 277–327; then 4 MACs × 9 ns until 363.
    // Barrier over 2 tiles (chip 0 tile (0,0), chip 1 tile (1,1)): 10 + 2 × 2 = 14 ns, so the step ends at 377.
    expect(s.finish / ns).toBeCloseTo(363, 9);
    expect(s.end / ns).toBeCloseTo(377, 9);
    expect(s.next / ns).toBeCloseTo(377, 9);
    expect(s.ops.contention / ns).toBeCloseTo(18, 9);
    // Busy: core 0 3 + 24 + 2 = 29 ns, core 14 3 + 30 + 4 = 37 ns, core 1 1 + 10 = 11 ns (map order 0, 14, 1);
    // the host 2 × 50 + 2 × 50 + 36 = 236 ns: the busiest, so it is the step's critical resource.
    expect(Array.from(state.c.busy, (b) => +(b / ns).toFixed(6))).toEqual([29, 37, 11]);
    expect(s.ops.hostBusy / ns).toBeCloseTo(236, 9);
    expect(s.critical).toBe(-1);
  });

  test('energy: each term of the breakdown, by hand', () => {
    const { steps: [s] } = run(priced);
    const e = s.energy;
    // Synaptic: 7 ops × 1 pJ.
    expect(e.synaptic / pJ).toBeCloseTo(7, 9);
    // Neuron: 6 active × 10 pJ + 1 idle × 3 pJ = 63 pJ.
    expect(e.neuron / pJ).toBeCloseTo(63, 9);
    // Network: spike out 3 × 2 = 6, within group 3 × 5 = 15, east-west 6 × 7 = 42, north-south 3 × 11 = 33,
    // chip 3 × 13 = 39: 135 pJ. (East-west and north-south prices swapped would give 6 × 11 + 3 × 7 = 87
    // instead of 75 for the hops.)
    expect(e.network / pJ).toBeCloseTo(135, 9);
    // Sync: one barrier over 2 tiles × 4 pJ.
    expect(e.sync / pJ).toBeCloseTo(8, 9);
    // Host: (2 injected + 2 received) × 100 pJ + 4 MACs × 17 pJ = 468 pJ.
    expect(e.host / pJ).toBeCloseTo(468, 9);
    // Static: (2 chips × 2 mW + 3 cores × 0.5 mW) = 5.5 mW over 377 ns = 2073.5 pJ.
    // (Per chip and per core swapped: 2 × 0.5 + 3 × 2 = 7 mW.)
    expect(e.static / pJ).toBeCloseTo(2073.5, 6);
    expect(e.total / pJ).toBeCloseTo(7 + 63 + 135 + 8 + 468 + 2073.5, 6);
  });
});

describe('fixed tick: work ending exactly on, just before and just after the tick', () => {
  /**
   * One core (core 0, router 0) with one synapse from the host: the host injects at 50 ns, the event arrives
   * within the group at 51, 1 synaptic op until 52, 1 active update until 62 ns; nothing is sent. The step's
   * work ends at 62 ns, and the second step starts when the first's ticks are over.
   */
  function tickRun(tickNs: number, steps = 2) {
    const target: Target = { ...priced, timestep: { scheme: 'fixed-tick', tick_s: { value: tickNs * ns, source: 'assumption: test' } } };
    const b = new MapBuilder(target);
    const emb = b.population({ name: 'embedding', kind: 'embedding', where: 'host', size: 1, slots: 1, inputs: [] });
    const A = b.population({ name: 'A', kind: 'relu', where: 'chip', size: 1, slots: 1, inputs: [emb] });
    b.synapse(b.core({ core: 0, population: A, unitStart: 0, unitEnd: 1 }), b.source(emb, 0), 0, 0, 1);
    return simulate(b.build(), target, scripted({ host: [[[0, 1]], [[0, 1]]] }), steps);
  }

  test('work ends exactly on the tick: one tick, no overrun', () => {
    const { steps: [s0, s1], state } = tickRun(62);
    expect(s0.finish / ns).toBeCloseTo(62, 9);
    expect(s0.ticks).toBe(1);
    expect(s0.next / ns).toBeCloseTo(62, 9);
    expect(s0.overran).toEqual([]);
    // The second step starts at 62 and ends its work at 124: again exactly one tick.
    expect(s1.start / ns).toBeCloseTo(62, 9);
    expect(s1.ticks).toBe(1);
    expect(s1.next / ns).toBeCloseTo(124, 9);
    expect(state.c.overruns[0]).toBe(0);
    // Static power (1 chip × 2 mW + 1 core × 0.5 mW = 2.5 mW) over one tick of 62 ns: 155 pJ per step.
    expect(s0.energy.static / pJ).toBeCloseTo(155, 6);
    // No barrier on a fixed tick: no sync energy, and the step ends at its work.
    expect(s0.energy.sync).toBe(0);
    expect(s0.end / ns).toBeCloseTo(62, 9);
  });

  test('work ends just before the tick: one tick, the next step waits for the boundary', () => {
    const { steps: [s0, s1] } = tickRun(62.5);
    expect(s0.ticks).toBe(1);
    expect(s0.next / ns).toBeCloseTo(62.5, 9);
    expect(s0.overran).toEqual([]);
    expect(s1.start / ns).toBeCloseTo(62.5, 9);
    // 2.5 mW over 62.5 ns.
    expect(s0.energy.static / pJ).toBeCloseTo(156.25, 6);
  });

  test('work ends just after the tick: two ticks, the core overran', () => {
    const { steps: [s0, s1], state } = tickRun(61.5);
    expect(s0.ticks).toBe(2);
    expect(s0.next / ns).toBeCloseTo(123, 9);
    expect(s0.overran).toEqual([0]);
    expect(s1.start / ns).toBeCloseTo(123, 9);
    expect(s1.ticks).toBe(2);
    expect(state.c.overruns[0]).toBe(2);
    // 2.5 mW over 2 × 61.5 ns.
    expect(s0.energy.static / pJ).toBeCloseTo(307.5, 6);
  });

  test('work ends exactly on the second tick: two ticks', () => {
    // A tick of 31 ns: the work (62 ns) ends exactly on the second boundary.
    const { steps: [s0] } = tickRun(31, 1);
    expect(s0.ticks).toBe(2);
    expect(s0.next / ns).toBeCloseTo(62, 9);
    expect(s0.overran).toEqual([0]);
  });
});

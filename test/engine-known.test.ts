/**
 * Known answers for the discrete-event core (simulator/engine.ts) that its other tests leave open: which
 * time a host receipt, a host-side decode, a link and a core's work are traced at; a packet whose first tree
 * edge is the route's edge 0; routes to the host within the group and over hops; a chip hop's own latency;
 * a unit that fires with no route; a core busy when a delivery or its update comes; the messages of
 * per-destination-core delivery, from the host and from map core 0; and a cycle of feed-forward inputs.
 * Every run happens inside its test (Stryker credits only code run there). Every figure is worked out by hand
 * in the comments.
 *
 * test/fixtures/priced.yaml: synaptic op 1 ns, active update 10 ns, idle update 4 ns, spike out 2 ns, within
 * group 1 ns, east-west hop 3 ns, north-south hop 6 ns, chip hop 20 ns, host I/O 50 ns, spike_generate and
 * message_in 0; barrier 10 ns + 2 ns per tile in use. Host-side MACs (passed to the engine) 9 ns each.
 * Layout: 2 chips side by side, each a 2 × 2 mesh of 2-core tiles; router id = chip · 4 + y · 2 + x; the
 * host at router 0. Core 0: chip 0 tile (0,0), router 0. Cores 2, 3: chip 0 tile (1,0), router 1.
 * Core 8: chip 1 tile (0,0), router 4, one chip hop east of router 1.
 */
import * as path from 'path';
import { scripted } from '../simulator/activity';
import { runStep } from '../simulator/engine';
import { continueRun } from '../simulator/run';
import { prepare } from '../simulator/state';
import { ChromeTrace } from '../simulator/trace';
import { loadTarget } from '../targets/load';
import type { Target } from '../targets/schema';
import { MapBuilder } from './helpers/map-builder';
import { variantOf } from './helpers/targets';

const priced = loadTarget(path.join(__dirname, 'fixtures', 'priced.yaml'));
const ns = 1e-9;
const hostMac = { energy: 17e-12, latency: 9e-9 };

/** The slices of a trace per track name, as "what begin–end" in ns. */
function slices(trace: ChromeTrace): Record<string, string[]> {
  const events = JSON.parse(trace.text()).traceEvents as { ph: string; name: string; pid: number; tid: number; ts: number; dur: number; args?: { name: string } }[];
  const names = new Map(events.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => [`${e.pid}:${e.tid}`, e.args!.name]));
  const out: Record<string, string[]> = {};
  const inNs = (us: number) => +(us * 1e3).toFixed(3);
  for (const e of events.filter((x) => x.ph === 'X'))
    (out[names.get(`${e.pid}:${e.tid}`)!] ??= []).push(`${e.name} ${inNs(e.ts)}–${inNs(e.ts + e.dur)}`);
  return out;
}

/**
 * Host embedding (1 source) → C (1 unit, core 0, router 0) and A (`aUnits` units, core 2, router 1); A0 → B
 * (1 unit, core `bCore`). C's and A's events also go to the host; B's go nowhere (no synapse, not to the
 * host). Map order C, A, B. Routes in source order: embedding 0 is route 0, core 0 at its origin (within
 * the group) and core 2 one east-west hop away, edge 0 (router 0 → 1); C0 is route 1, the host at its origin;
 * A0 is route 2, to core `bCore` and to the host (router 1 → 0, east-west); A1 (if any) route 3, the host.
 */
function fanMap(target: Target, aUnits: number, bCore: number) {
  const b = new MapBuilder(target);
  const emb = b.population({ name: 'embedding', kind: 'embedding', where: 'host', size: 1, slots: 1, inputs: [] });
  const C = b.population({ name: 'C', kind: 'relu', where: 'chip', size: 1, slots: 1, inputs: [emb] });
  const A = b.population({ name: 'A', kind: 'relu', where: 'chip', size: aUnits, slots: 1, inputs: [emb] });
  const B = b.population({ name: 'B', kind: 'relu', where: 'chip', size: 1, slots: 1, inputs: [A] });
  const c = b.core({ core: 0, population: C, unitStart: 0, unitEnd: 1 });
  const a = b.core({ core: 2, population: A, unitStart: 0, unitEnd: aUnits });
  const bb = b.core({ core: bCore, population: B, unitStart: 0, unitEnd: 1 });
  b.synapse(c, b.source(emb, 0), 0, 0, 1).synapse(a, b.source(emb, 0), 0, 0, 1).synapse(bb, b.source(A, 0), 0, 0, 1);
  return { map: b.toHost(C).toHost(A).build(), c, a, bb };
}

describe('multicast on priced: two steps, traced', () => {
  /**
   * fanMap with 2 units of A and B on core 8: A0's tree is router 1 → 4 (a chip hop, to core 8) and router
   * 1 → 0 (east-west, to the host); A1's the same hop to the host. So the host has one route within the group
   * (C0) and two over a hop (A0, A1). Step 0: the host sends embedding 0 (value 1); C0, A0, A1 and B0 fire;
   * the host then computes 4 MACs. Step 1: no host event, nothing fires, no host MACs.
   */
  function run() {
    const { map, c, a, bb } = fanMap(priced, 2, 8);
    let trace: ChromeTrace | undefined;
    const state = prepare(map, priced, hostMac, (m) => (trace = new ChromeTrace(m)));
    const activity = scripted({ host: [[[0, 1]]], fire: { [c]: [[0]], [a]: [[0, 1]], [bb]: [[0]] } });
    activity.endStep = (step) => (step === 0 ? 4 : 0);
    const steps = continueRun(state, activity, 0, 2, 0);
    return { state, steps, trace: trace!, a };
  }

  test('step 0 by hand: times, counts and the host decode', () => {
    const { steps: [s] } = run();
    // The host sends embedding 0 at 50. Router 0 → 1 (edge 0, east-west) 50–53. Core 0 (C) gets it within the
    // group at 51, 1 op until 52, update until 62, sends C0 at 64 (spike out); the host receives it within
    // the group at 65, its channel busy until 115. Core 2 (A) gets it at 53 (edge 0's hop, not the 1 ns of
    // the group), 1 op until 54, updates 2 active units until 74, sends A0 at 76 and A1 at 78. A0: the chip
    // hop 76–96 to core 8, the east-west hop 76–79 to router 0; A1 waits for that link, 79–82 (1 ns of
    // contention). The host receives A0 115–165 and A1 165–215. Core 8 (B): 1 op 96–97, update until 107,
    // sends B0 at 109 (it pays its spike out), which has no route: no packet.
    // The host decodes 4 MACs × 9 ns once it has received everything: 215–251. Finish 251.
    expect(s.finish / ns).toBeCloseTo(251, 9);
    // Barrier over 3 tiles (chip 0 (0,0) and (1,0), chip 1 (0,0)): 10 + 3 × 2 = 16 ns.
    expect(s.end / ns).toBeCloseTo(267, 9);
    // Packets: embedding 0, C0, A0, A1 (not B0). Within the group: embedding 0 to core 0, C0 to the host.
    // Hops: edge 0, A0's and A1's way home east-west, A0 to core 8 a chip hop. Links held 3 + 20 + 3 + 3 ns.
    expect(s.ops).toMatchObject({
      packets: 4, messages: 4, deliveries: 3, withinGroup: 2, hopsEastWest: 3, hopsNorthSouth: 0, chipHops: 1,
      eventsOut: 4, messagesOut: 4, synOps: 3, hostEvents: 1, hostReceived: 3, hostMacs: 4,
    });
    expect(s.ops.linkBusy / ns).toBeCloseTo(29, 9);
    expect(s.ops.contention / ns).toBeCloseTo(1, 9);
    // The host: 1 injected + 3 received × 50 ns + 36 ns of MACs = 236 ns, more than any core (A's 25 ns).
    expect(s.ops.hostBusy / ns).toBeCloseTo(236, 9);
    expect(s.critical).toBe(-1);
  });

  test('step 1 by hand: no host event, every unit idle; a core is the busiest; one barrier per step', () => {
    const { state, a, steps: [, s] } = run();
    // Starts at 267. The host sends nothing: its populations are done at 267, so C (core 0) updates its unit
    // idle 267–271 (4 ns) and A (core 2) its two 267–275; then B 275–279. No decode. Finish 279, end 279 + 16.
    expect(s.start / ns).toBeCloseTo(267, 9);
    expect(s.finish / ns).toBeCloseTo(279, 9);
    expect(s.end / ns).toBeCloseTo(295, 9);
    expect(s.ops).toMatchObject({ idleUpdates: 4, activeUpdates: 0, packets: 0, hostEvents: 0, hostMacs: 0 });
    // The host was not busy; C and B 4 ns, A 8 ns: A is the critical resource.
    expect(s.critical).toBe(a);
    expect(state.c.syncs).toBe(2);
  });

  test('the trace: each interval where it happened, nothing traced for work not done', () => {
    // The times above. Back-to-back slices of one kind merge (the host's three receipts; A0 and A1 on the link west). Step 1 traces no
    // inject (nothing sent), no send (nothing fired) and no decode (no MACs).
    expect(slices(run().trace)).toEqual({
      'host I/O': ['inject 0–50', 'receive 65–215', 'decode 215–251'],
      'router 0 → east': ['packet 50–53'],
      'router 1 → east': ['packet 76–96'],
      'router 1 → west': ['packet 76–82'],
      'core 0 (C 0–0)': ['synapses 51–52', 'update 52–62', 'send 62–64', 'update 267–271'],
      'core 2 (A 0–1)': ['synapses 53–54', 'update 54–74', 'send 74–78', 'update 267–275'],
      'core 8 (B 0–0)': ['synapses 96–97', 'update 97–107', 'send 107–109', 'update 275–279'],
      timesteps: ['step 0 0–267', 'step 1 267–295'],
    });
  });
});

test('a core still busy when a delivery and its update come: both wait for it', () => {
  /**
   * Host embedding → B (3 units, core 1, router 0): embedding 0 to all three. C (11 units, core 0, router 0,
   * no inputs: it updates at once) → B0: not one of B's inputs, so served into the next step.
   * C updates at 0: 1 active (C0 fires) + 10 idle = 50 ns, sends C0 at 52, within the group to core 1 at 53.
   * The host sends embedding 0 at 50; core 1 gets it at 51, 3 ops until 54, and its update is due at 54.
   * C0 arrives at 53 while core 1 is busy: served 54–55. The update then starts at 55, not 54: 3 active
   * units (1 each from the embedding) 55–85. Finish 85; barrier over 1 tile 12 ns.
   */
  const b = new MapBuilder(priced);
  const emb = b.population({ name: 'embedding', kind: 'embedding', where: 'host', size: 1, slots: 1, inputs: [] });
  const C = b.population({ name: 'C', kind: 'relu', where: 'chip', size: 11, slots: 1, inputs: [] });
  const B = b.population({ name: 'B', kind: 'relu', where: 'chip', size: 3, slots: 1, inputs: [emb] });
  const c = b.core({ core: 0, population: C, unitStart: 0, unitEnd: 11 });
  const bb = b.core({ core: 1, population: B, unitStart: 0, unitEnd: 3 });
  for (const unit of [0, 1, 2]) b.synapse(bb, b.source(emb, 0), unit, 0, 1);
  b.synapse(bb, b.source(C, 0), 0, 0, 1);
  const state = prepare(b.build(), priced);
  const [s] = continueRun(state, scripted({ host: [[[0, 1]]], fire: { [c]: [[0]] } }), 0, 1, 0);
  expect(s.finish / ns).toBeCloseTo(85, 9);
  expect(s.end / ns).toBeCloseTo(97, 9);
  // Busy: core 0 50 + 2 = 52 ns (more than the host's 50), core 1 3 + 1 + 30 = 34 ns.
  expect(Array.from(state.c.busy, (x) => +(x / ns).toFixed(6))).toEqual([52, 34]);
  expect(s.critical).toBe(c);
});

describe('per destination core on priced: the host and map core 0 each send their own messages', () => {
  const perDestination: Target = variantOf(priced, 'priced-per-destination', (d) => {
    d.routing.delivery = { value: 'per-destination-core', source: 'assumption: test' };
  });

  /**
   * fanMap with 2 units of A and B on core 3 (router 1, A's own router): A0 reaches core 3 within the group,
   * the host one east-west hop west; A1 the host over the same hop. Step 0: the host sends embedding 0; C0,
   * A0, A1 and B0 fire (value 1).
   */
  function run() {
    const { map, c, a, bb } = fanMap(perDestination, 2, 3);
    let trace: ChromeTrace | undefined;
    const state = prepare(map, perDestination, undefined, (m) => (trace = new ChromeTrace(m)));
    const [s] = continueRun(state, scripted({ host: [[[0, 1]]], fire: { [c]: [[0]], [a]: [[0, 1]], [bb]: [[0]] } }), 0, 1, 0);
    return { state, s, trace: trace! };
  }

  test('timing by hand: one host I/O per host message, one spike out per core message, its own path each', () => {
    const { state, s, trace } = run();
    // The host's two messages of embedding 0 leave at 50 (core 0, within the group: 51) and 100 (core 2,
    // east-west 100–103); its populations are done at 100. Core 0: 1 op 51–52, waits for the host, update
    // 100–110; C0's one message (to the host, within the group) leaves at 112, arrives at 113: the host
    // receives 113–163. Core 2: 1 op 103–104, update of 2 active units 104–124. A0's messages: to core 3 at
    // 126 (within the group, 127), to the host at 128 (east-west 128–131); A1's one message at 130: the link
    // west out of router 1 is held until 131 (1 ns of contention), 131–134. The host receives A0 163–213 and
    // A1 213–263. Core 3: 1 op 127–128, waits for A (done at 130), update 130–140; B0 has no route: no message,
    // no spike out. Finish 263; barrier over 2 tiles: 14 ns.
    expect(s.finish / ns).toBeCloseTo(263, 9);
    expect(s.end / ns).toBeCloseTo(277, 9);
    expect(s.ops.contention / ns).toBeCloseTo(1, 9);
    expect(s.ops.linkBusy / ns).toBeCloseTo(9, 9);
    // Busy: core 0 1 + 10 + 2 = 13 ns; core 2 1 + 20 + 3 × 2 = 27 ns; core 3 1 + 10 = 11 ns. The host:
    // 2 messages sent + 3 received, 50 ns each.
    expect(Array.from(state.c.busy, (x) => +(x / ns).toFixed(6))).toEqual([13, 27, 11]);
    // When each core is done: core 0 112, core 2 130 (had the host's messages left 2 ns apart, core 2 would
    // have had its input at 7 and updated at 100, when the host's populations are done: 126), core 3 140.
    expect(Array.from(state.coreFree, (x) => +(x / ns).toFixed(6))).toEqual([112, 130, 140]);
    // Each core's work as traced: the within-group deliveries (to cores 0 and 3) come 1 ns after they leave.
    const cores = slices(trace);
    expect([cores['core 0 (C 0–0)'], cores['core 2 (A 0–1)'], cores['core 3 (B 0–0)']]).toEqual([
      ['synapses 51–52', 'update 100–110', 'send 110–112'],
      ['synapses 103–104', 'update 104–124', 'send 124–130'],
      ['synapses 127–128', 'update 130–140'],
    ]);
    expect(s.ops.hostBusy / ns).toBeCloseTo(250, 9);
  });

  test('counts by hand', () => {
    const { state, s } = run();
    // Messages: embedding 0 2, C0 1, A0 2, A1 1. Deliveries: cores 0, 2 and 3. Within the group: embedding 0
    // to core 0, C0 to the host, A0 to core 3. East-west: embedding 0 to core 2, A0 and A1 to the host.
    expect(s.ops).toMatchObject({
      packets: 4, messages: 6, deliveries: 3, withinGroup: 3, hopsEastWest: 3, hopsNorthSouth: 0, chipHops: 0,
      eventsOut: 4, messagesOut: 4, hostEvents: 2, hostReceived: 3, synOps: 3,
    });
    expect(Array.from(state.c.messagesOut)).toEqual([1, 3, 0]);
  });
});

test('a cycle of feed-forward inputs stops the step with the core that never updated', () => {
  // A's only input is A itself: its core waits for its own update, which never comes.
  const b = new MapBuilder(priced);
  const A = b.population({ name: 'A', kind: 'relu', where: 'chip', size: 1, slots: 1, inputs: [0] });
  b.core({ core: 5, population: A, unitStart: 0, unitEnd: 1 });
  const state = prepare(b.build(), priced);
  expect(() => runStep(state, scripted({ host: [] }), 0, 0)).toThrow(
    "core 5 never updated in step 0: its populations' inputs form a cycle",
  );
});

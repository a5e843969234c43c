/**
 * Known answers for the two ways a target delivers one spike to several cores (targets/README.md
 * routing.delivery): multicast (one packet, copied along a route tree) and per destination core (one message
 * per destination, each with its own send, its own path of hops and its own link occupancy). The same hand-made
 * map runs on test/fixtures/priced.yaml (every operation priced differently) with each delivery; every figure
 * is worked out by hand in the comments.
 *
 * Prices (energy, latency): synaptic op 1 pJ, 1 ns; active update 10 pJ, 10 ns; spike out 2 pJ, 2 ns; within
 * group 5 pJ, 1 ns; east-west hop 7 pJ, 3 ns; north-south hop 11 pJ, 6 ns; chip hop 13 pJ, 20 ns; host I/O
 * 100 pJ, 50 ns; barrier 10 ns + 2 ns per tile in use.
 *
 * Layout (2 chips side by side, each a 2 × 2 mesh of 2-core tiles; grid x 0–3, y 0–1; host at router 0):
 *   core 0 (A) and core 1 (B unit 0): chip 0, tile (0,0), grid (0,0), router 0
 *   core 3 (B unit 1): chip 0, tile (1,0), grid (1,0)
 *   core 14 (B unit 2): chip 1, tile (1,1), grid (3,1)
 * A's unit 0 feeds all three B cores and the host: one spike, three destination cores plus the host.
 * Dimension-order paths from (0,0): to core 1 none (same router); to core 3 one east-west hop; to core 14
 * east-west, chip hop (the chip edge), east-west, north-south; the host is at router 0 (within the group).
 * As a tree (multicast) the path to core 14 contains the one to core 3: 4 edges in all.
 */
import * as path from 'path';
import { scripted } from '../simulator/activity';
import { continueRun } from '../simulator/run';
import { prepare } from '../simulator/state';
import { loadTarget } from '../targets/load';
import type { Target } from '../targets/schema';
import { MapBuilder } from './helpers/map-builder';

const priced = loadTarget(path.join(__dirname, 'fixtures', 'priced.yaml'));
const perDestination: Target = { ...priced, routing: { ...priced.routing, delivery: { value: 'per-destination-core', source: 'assumption: test' } } };
const ns = 1e-9, pJ = 1e-12;

function fanMap(target: Target) {
  const b = new MapBuilder(target);
  const emb = b.population({ name: 'embedding', kind: 'embedding', where: 'host', size: 1, slots: 1, inputs: [] });
  const A = b.population({ name: 'A', kind: 'relu', where: 'chip', size: 1, slots: 1, inputs: [emb] });
  const B = b.population({ name: 'B', kind: 'relu', where: 'chip', size: 3, slots: 1, inputs: [A] });
  const a = b.core({ core: 0, population: A, unitStart: 0, unitEnd: 1 });
  const cores = [1, 3, 14].map((core, k) => b.core({ core, population: B, unitStart: k, unitEnd: k + 1 }));
  b.synapse(a, b.source(emb, 0), 0, 0, 1);
  for (const c of cores) b.synapse(c, b.source(A, 0), 0, 0, 1);
  return b.toHost(A).build();
}

/** Step 0: the host sends embedding 0; A fires unit 0; the B cores fire nothing. */
function run(target: Target) {
  const state = prepare(fanMap(target), target);
  const [s] = continueRun(state, scripted({ host: [[[0, 1]]], fire: { 0: [[0]] } }), 0, 1, 0);
  return { state, s };
}

// Each test runs its own simulation: Stryker credits only code run inside a test (see test/README.md).
describe('one spike to three cores and the host: multicast against one message per destination core', () => {

  test('messages: 1 per packet with multicast, 1 per destination with per-destination-core', () => {
    const multi = run(priced), each = run(perDestination);
    // The host's event has one destination (core 0): one message either way. A0's spike: one multicast packet,
    // or four messages (cores 1, 3, 14 and the host).
    expect(multi.s.ops).toMatchObject({ packets: 2, messages: 2, eventsOut: 1, messagesOut: 1, hostEvents: 1, hostReceived: 1 });
    expect(each.s.ops).toMatchObject({ packets: 2, messages: 5, eventsOut: 1, messagesOut: 4, hostEvents: 1, hostReceived: 1 });
    expect(Array.from(each.state.c.messagesOut)).toEqual([4, 0, 0, 0]);
  });

  test('hops: the tree once with multicast, every path in full per destination', () => {
    const multi = run(priced), each = run(perDestination);
    // Multicast: the tree's 4 edges, 2 east-west, 1 chip, 1 north-south. Per destination: core 3's path (1
    // east-west) plus core 14's (2 east-west, 1 chip, 1 north-south). Within the group either way: the host's
    // event to core 0, A0 to core 1, A0 to the host. Deliveries to cores either way: the host's event to core 0
    // and A0's to cores 1, 3 and 14; synaptic ops one per delivery.
    expect(multi.s.ops).toMatchObject({ hopsEastWest: 2, chipHops: 1, hopsNorthSouth: 1, withinGroup: 3, deliveries: 4, synOps: 4 });
    expect(each.s.ops).toMatchObject({ hopsEastWest: 3, chipHops: 1, hopsNorthSouth: 1, withinGroup: 3, deliveries: 4, synOps: 4 });
  });

  test('network energy by hand', () => {
    const multi = run(priced), each = run(perDestination);
    // Multicast: spike out 1 × 2 + within 3 × 5 + east-west 2 × 7 + north-south 11 + chip 13 = 55 pJ.
    expect(multi.s.energy.network / pJ).toBeCloseTo(55, 9);
    // Per destination: spike out 4 × 2 + within 3 × 5 + east-west 3 × 7 + north-south 11 + chip 13 = 68 pJ.
    expect(each.s.energy.network / pJ).toBeCloseTo(68, 9);
    // Host I/O is the same: 1 injected + 1 received, 100 pJ each.
    expect(multi.s.energy.host / pJ).toBeCloseTo(200, 9);
    expect(each.s.energy.host / pJ).toBeCloseTo(200, 9);
  });

  test('timing by hand: each message sent 2 ns after the last and holding its own links', () => {
    const multi = run(priced), each = run(perDestination);
    // Both: the host sends at 50 ns; core 0 gets it at 51 (within group), 1 op until 52, A updates until 62.
    // Multicast: A0 leaves at 64 (one spike out), A is done at 64. Core 1 at 65, op until 66, update until 76.
    //   Core 3: east-west 64–67, op until 68, update until 78. Core 14: east-west 64–67, chip 67–87, east-west
    //   87–90, north-south 90–96, op until 97, update until 107. The host receives at 65 (within group), its
    //   channel busy until 115. Finish 115; barrier over 3 tiles 10 + 3 × 2 = 16 ns: the step ends at 131.
    expect(multi.s.finish / ns).toBeCloseTo(115, 9);
    expect(multi.s.end / ns).toBeCloseTo(131, 9);
    expect(multi.s.ops.contention).toBe(0);
    // Per destination: messages leave at 64 (core 1), 66 (core 3), 68 (core 14), 70 (host); A is done at 70.
    //   Core 1 at 65, op until 66, waits for A until 70, update until 80. Core 3: east-west 66–69, op until
    //   70, update until 80. Core 14: the east-west link out of router 0 is busy until 69 (1 ns of contention),
    //   east-west 69–72, chip 72–92, east-west 92–95, north-south 95–101, op until 102, update until 112.
    //   The host receives at 71, busy until 121. Finish 121; the step ends at 137.
    expect(each.s.finish / ns).toBeCloseTo(121, 9);
    expect(each.s.end / ns).toBeCloseTo(137, 9);
    expect(each.s.ops.contention / ns).toBeCloseTo(1, 9);
    // Core 0's busy time: 1 op + 1 update + its sends: 1 + 10 + 2 = 13 ns multicast, 1 + 10 + 4 × 2 = 19 ns.
    expect(multi.state.c.busy[0] / ns).toBeCloseTo(13, 9);
    expect(each.state.c.busy[0] / ns).toBeCloseTo(19, 9);
  });
});

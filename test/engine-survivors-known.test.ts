/**
 * Known answers for two corners of the discrete-event core (simulator/engine.ts) that Stryker's simulator-2
 * run (2026-12-04, at 7fa9ae7) found no test looking at: a step whose last work is a core serving an event
 * for the next step (nothing is queued at the time that work ends, so only the cores' own free times say when
 * the step finished), and, with per-destination-core delivery, a host event whose route exists but reaches no
 * core and not the host (no message, so no packet and no host I/O). Every run happens inside its test
 * (Stryker credits only code run there). Every figure is worked out by hand in the comments.
 *
 * test/fixtures/priced.yaml: synaptic op 1 ns, active update 10 ns, idle update 4 ns, spike out 2 ns, within
 * group 1 ns, east-west hop 3 ns, host I/O 50 ns, spike_generate and message_in 0; barrier 10 ns + 2 ns per
 * tile in use. Core 0: chip 0 tile (0,0), router 0 (the host's). Core 2: chip 0 tile (1,0), router 1, one
 * east-west hop from router 0.
 */
import * as path from 'path';
import { scripted } from '../simulator/activity';
import type { SimMap } from '../simulator/map';
import { continueRun } from '../simulator/run';
import { prepare } from '../simulator/state';
import { ChromeTrace } from '../simulator/trace';
import { loadTarget } from '../targets/load';
import type { Target } from '../targets/schema';
import { MapBuilder } from './helpers/map-builder';
import { variantOf } from './helpers/targets';

const priced = loadTarget(path.join(__dirname, 'fixtures', 'priced.yaml'));
const ns = 1e-9;

test('a step ends when its last core is free, even when no event is queued then: a next-step delivery served last', () => {
  /**
   * C (1 unit, core 0, no inputs) → B (1 unit, core 2, no inputs): B does not consume C in the same step, so
   * C0's event is served into B's next-step accumulators. Both cores update at 0. C0 fires: 1 active update
   * 0–10, spike out until 12, its packet crosses router 0 → 1 (east-west) 12–15. B: 1 idle update 0–4, done
   * at 4. At 15 core 2 serves C0's packet: 1 synaptic op 15–16. That serving is the step's last work, and
   * nothing is queued at 16 (a next-step delivery triggers no update): the last event is the delivery at 15,
   * core 2 is free at 16. Finish 16 (15 if only the events counted). Barrier over 2 tiles (chip 0 (0,0) and
   * (1,0)): 10 + 2 × 2 = 14 ns, end 30.
   */
  const b = new MapBuilder(priced);
  const C = b.population({ name: 'C', kind: 'relu', where: 'chip', size: 1, slots: 1, inputs: [] });
  const B = b.population({ name: 'B', kind: 'relu', where: 'chip', size: 1, slots: 1, inputs: [] });
  const c = b.core({ core: 0, population: C, unitStart: 0, unitEnd: 1 });
  const bb = b.core({ core: 2, population: B, unitStart: 0, unitEnd: 1 });
  b.synapse(bb, b.source(C, 0), 0, 0, 1);
  let trace: ChromeTrace | undefined;
  const state = prepare(b.build(), priced, undefined, (m) => (trace = new ChromeTrace(m)));
  const [s] = continueRun(state, scripted({ host: [], fire: { [c]: [[0]] } }), 0, 1, 0);
  expect(s.finish / ns).toBeCloseTo(16, 9);
  expect(s.end / ns).toBeCloseTo(30, 9);
  expect(Array.from(state.coreFree, (x) => +(x / ns).toFixed(6))).toEqual([12, 16]);
  expect(s.ops).toMatchObject({ packets: 1, hopsEastWest: 1, synOps: 1, activeUpdates: 1, idleUpdates: 1 });
  // Core 2's work as traced: its update, then the serving that ends the step.
  const events = JSON.parse(trace!.text()).traceEvents as { ph: string; name: string; ts: number; dur: number; tid: number; pid: number; args?: { name: string } }[];
  const track = events.find((e) => e.ph === 'M' && e.args?.name === 'core 2 (B 0–0)')!;
  const work = events.filter((e) => e.ph === 'X' && e.pid === track.pid && e.tid === track.tid).map((e) => `${e.name} ${+(e.ts * 1e3).toFixed(3)}–${+((e.ts + e.dur) * 1e3).toFixed(3)}`);
  expect(work).toEqual(['update 0–4', 'synapses 15–16']);
});

describe('per destination core on priced: a host event whose route reaches nothing', () => {
  const perDestination: Target = variantOf(priced, 'priced-per-destination', (d) => {
    d.routing.delivery = { value: 'per-destination-core', source: 'assumption: test' };
  });

  /**
   * Host embedding (2 sources) → C (1 unit, core 0, router 0): embedding 0 has a synapse on core 0; embedding 1
   * none. The builder gives embedding 1 no route (−1); `emptyRoute` gives it a route of its own instead, one
   * that reaches no core and not the host (a map file may hold one: nmap-check accepts an empty route).
   */
  function map(emptyRoute: boolean): SimMap {
    const b = new MapBuilder(perDestination);
    const emb = b.population({ name: 'embedding', kind: 'embedding', where: 'host', size: 2, slots: 1, inputs: [] });
    const C = b.population({ name: 'C', kind: 'relu', where: 'chip', size: 1, slots: 1, inputs: [emb] });
    const c = b.core({ core: 0, population: C, unitStart: 0, unitEnd: 1 });
    b.synapse(c, b.source(emb, 0), 0, 0, 1);
    const m = b.build();
    if (!emptyRoute) return m;
    const r = m.routes;
    expect(Array.from(r.unitRoute)).toEqual([0, -1, -1]);
    const unitRoute = Int32Array.from(r.unitRoute);
    unitRoute[1] = r.count;
    const append = <T extends Int32Array | Uint8Array>(a: T, v: number) => {
      const out = new (a.constructor as new (n: number) => T)(a.length + 1);
      out.set(a), (out[a.length] = v);
      return out;
    };
    return {
      ...m,
      routes: {
        ...r, count: r.count + 1, unitRoute, origin: append(r.origin, 0), toHost: append(r.toHost, 0),
        edgePtr: append(r.edgePtr, r.edgePtr[r.count]), destPtr: append(r.destPtr, r.destPtr[r.count]),
      },
    };
  }

  test.each([false, true])('no message, no packet, no host I/O for it (an empty route: %s)', (emptyRoute) => {
    /**
     * The host sends embedding 1, then embedding 0 (value 1 each). Embedding 1's route, empty or none, has no
     * destination core and does not end at the host: 0 messages, so nothing leaves and no host I/O is paid.
     * Embedding 0 has 1 message (to core 0): it leaves at 0 + 1 × 50 = 50 ns, within the group: 51. The
     * host's populations are done at 50 (1 host I/O). Core 0: 1 op 51–52, then C's unit updates 52–62 (active: it
     * does not fire, but its accumulator holds 1). Finish 62; barrier over 1 tile: 12 ns, end 74.
     * Counted: 1 packet, 1 message, 1 delivery, 1 host event (a packet for embedding 1 would make 2 packets).
     */
    const state = prepare(map(emptyRoute), perDestination);
    const [s] = continueRun(state, scripted({ host: [[[1, 1], [0, 1]]] }), 0, 1, 0);
    expect(s.ops).toMatchObject({ packets: 1, messages: 1, deliveries: 1, withinGroup: 1, hostEvents: 1, synOps: 1, activeUpdates: 1, idleUpdates: 0 });
    expect(s.ops.hostBusy / ns).toBeCloseTo(50, 9);
    expect(s.finish / ns).toBeCloseTo(62, 9);
    expect(s.end / ns).toBeCloseTo(74, 9);
  });
});

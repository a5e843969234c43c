/**
 * neuromap on `loihi-sanafe` (SANA-FE's calibrated Loihi prices, targets/loihi-sanafe.yaml) against SANA-FE's own
 * pricing of the same operation counts, worked out by hand from SANA-FE's arch/loihi.yaml and its source
 * (SLAM-Lab/SANA-FE 8951ab0: pipeline.hpp prices a soma per neuron as access, plus update when the neuron
 * updated, plus spike_out when it fired; axon_out per message sent, axon_in per message received, synapse
 * per synaptic op, hops per tile crossed; schedule.cpp's simple timing model takes, per timestep, the largest of
 * every core's neuron processing and every core's message processing, plus the sync table's delay). SANA-FE
 * itself was not run here (its build fetches rapidyaml and BookSim from GitHub).
 *
 * Map (loihi-sanafe: 8 × 4 tiles of 4 cores; core 0 and 1 in tile (0,0), core 4 in tile (1,0)):
 *   host embedding (2 sources) → A (4 units, core 0) → B (unit 0 on core 1, unit 1 on core 4).
 *   Synapses: embedding 0 → A0, A1; embedding 1 → A1, A2; A0 → B0, B1; A1 → B1.
 * Step 0: both embedding values; A fires A0 and A1; B fires nothing.
 */
import { scripted } from '../simulator/activity';
import { continueRun } from '../simulator/run';
import { prepare } from '../simulator/state';
import { loadTarget } from '../targets/load';
import { MapBuilder } from './helpers/map-builder';

const target = loadTarget('loihi-sanafe');
const ns = 1e-9, pJ = 1e-12;

function sanafeMap() {
  const b = new MapBuilder(target);
  const emb = b.population({ name: 'embedding', kind: 'embedding', where: 'host', size: 2, slots: 1, inputs: [] });
  const A = b.population({ name: 'A', kind: 'relu', where: 'chip', size: 4, slots: 1, inputs: [emb] });
  const B = b.population({ name: 'B', kind: 'relu', where: 'chip', size: 2, slots: 1, inputs: [A] });
  const a = b.core({ core: 0, population: A, unitStart: 0, unitEnd: 4 });
  const b0 = b.core({ core: 1, population: B, unitStart: 0, unitEnd: 1 });
  const b1 = b.core({ core: 4, population: B, unitStart: 1, unitEnd: 2 });
  b.synapse(a, b.source(emb, 0), 0, 0, 1).synapse(a, b.source(emb, 0), 1, 0, 1);
  b.synapse(a, b.source(emb, 1), 1, 0, 1).synapse(a, b.source(emb, 1), 2, 0, 1);
  b.synapse(b0, b.source(A, 0), 0, 0, 1).synapse(b1, b.source(A, 0), 0, 0, 1).synapse(b1, b.source(A, 1), 0, 0, 1);
  return b.build();
}

/** Step 0: the host sends both embedding values; A fires units 0 and 1. */
function step() {
  const state = prepare(sanafeMap(), target);
  return continueRun(state, scripted({ host: [[[0, 1], [1, 1]]], fire: { 0: [[0, 1]] } }), 0, 1, 0)[0];
}

// Each test runs its own simulation: Stryker credits only code run inside a test (see test/README.md).
describe('loihi-sanafe against SANA-FE pricing of the same counts, by hand', () => {

  test('the counts SANA-FE prices', () => {
    const s = step();
    // Synaptic ops: core 0 2 + 2, core 1 1, core 4 1 + 1 = 7. Neurons: 6, of which 5 updated (A0–A2 had input,
    // B0 and B1 too) and A3 only accessed; 2 fired. Messages out of cores: A0 to cores 1 and 4, A1 to core 4 = 3;
    // messages received by cores: 2 from the host (core 0) + 3 = 5. Hops: the 2 messages to tile (1,0), 1 east each.
    expect(s.ops).toMatchObject({ synOps: 7, activeUpdates: 5, idleUpdates: 1, eventsOut: 2, messagesOut: 3, eventsIn: 5, hopsEastWest: 2, hopsNorthSouth: 0 });
  });

  test('energy: SANA-FE\'s prices of these counts, part by part', () => {
    const s = step();
    // SANA-FE: synapse 7 × 33.6 = 235.2 pJ. Soma: 6 accesses × 51.2 + 5 updates × 21.6 + 2 spikes × 69.3
    // = 307.2 + 108 + 138.6 = 553.8 pJ. Network: axon_out 3 × 111 + axon_in 5 × 0 + 2 east hops × 3.0 = 339 pJ.
    // No sync energy, no static power. Total 1,128 pJ. (SANA-FE would add 2 × 111 pJ of axon_out for the two
    // input neurons' messages, which sit on a core there; neuromap's host sends them at host_io_event, 0 here.)
    expect(s.energy.synaptic / pJ).toBeCloseTo(235.2, 6);
    expect(s.energy.neuron / pJ).toBeCloseTo(553.8, 6);
    expect(s.energy.network / pJ).toBeCloseTo(339, 6);
    expect(s.energy.sync + s.energy.static + s.energy.host).toBe(0);
    expect(s.energy.total / pJ).toBeCloseTo(1128, 6);
  });

  test('a message received is charged per core that receives it, in the network part', () => {
    // SANA-FE's axon_in costs 0 J; priced at 7 pJ, the 5 messages cores received add 35 pJ to the network's 339.
    const priced = { ...target, costs: { ...target.costs, message_in: { ...target.costs.message_in, energy_j: { value: 7e-12, source: 'assumption: test' } } } };
    const st = prepare(sanafeMap(), priced);
    const [p] = continueRun(st, scripted({ host: [[[0, 1], [1, 1]]], fire: { 0: [[0, 1]] } }), 0, 1, 0);
    expect(p.energy.network / pJ).toBeCloseTo(374, 6);
    expect(p.energy.neuron / pJ).toBeCloseTo(553.8, 6);
  });

  test('latency: within 8% of SANA-FE\'s simple timing model, both dominated by the 1 µs barrier', () => {
    const s = step();
    // neuromap (discrete events, B waits for A within the step): the host's two messages reach core 0 at 0 (host
    //   I/O and within-tile delivery cost 0 s); each takes axon_in 16 + 2 ops × 4.7 = 25.4 ns: until 50.8. Update:
    //   3 × 9.7 + 1 × 6.0 = 35.1 → 85.9. A0 fires (30) → 115.9, its messages leave at 121.0 (core 1) and 126.1
    //   (core 4); A1 fires → 156.1, its message leaves at 161.2; A is done at 161.2. Core 1: receives at 121.0,
    //   16 + 4.7 → 141.7, waits for A, updates 9.7 → 170.9. Core 4: A0's message hops east 126.1 → 130.2, served
    //   until 150.9; A1's hops 161.2 → 165.3, served until 186.0; update → 195.7. Barrier 1 µs: 1,195.7 ns.
    expect(s.finish / ns).toBeCloseTo(195.7, 6);
    expect(s.end / ns).toBeCloseTo(1195.7, 6);
    // SANA-FE simple model, same spikes in one timestep: neuron processing of core 0 = 4 × 6.0 + 3 × 3.7 + 2 × 30
    //   + 3 messages × 5.1 = 110.4 ns (cores 1 and 4: 9.7); message processing of core 0 = 2 × (16 + 2 × 4.7) =
    //   50.8, core 4 = 2 × 20.7 = 41.4, core 1 = 20.7. Step = max(110.4, 50.8) + 1,000 = 1,110.4 ns.
    // Ratio 1,195.7 / 1,110.4 = 1.077. The work parts differ by design (195.7 vs 110.4 ns): SANA-FE runs every
    // core in parallel within a timestep, neuromap lets B wait for A's spikes within the same step.
    const sanafe = 1110.4 * ns;
    expect(Math.abs(s.end / sanafe - 1)).toBeLessThan(0.1);
  });
});

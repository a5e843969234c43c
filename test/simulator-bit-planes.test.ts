/**
 * Bit-plane maps (`--binary-encoding`, binary-spike targets): an event of integer value q leaves as one
 * binary spike per set bit, each a packet of its own, served by its plane's rows. Known answers on a
 * hand-built map of the tiny target, then equivalence on compiled maps: the same log-probabilities and
 * events as the map's int twin (one row per source, q as a payload) and as the quantised model in software,
 * the same effective MACs as the twin, more synaptic ops.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compile, loadNmap, nmapBody, saveNmap } from '../compiler';
import type { CompileOptions } from '../compiler/ir';
import { scripted, type Activity } from '../simulator/activity';
import { MapBuilder } from './helpers/map-builder';
import { totals } from '../simulator/energy';
import { simulatedMacs } from '../simulator/macs';
import { simulationReport } from '../simulator/report';
import type { SimMap, SimPopulation } from '../simulator/map';
import { simulate } from '../simulator/run';
import { loadBaseline } from '../targets/baseline-schema';
import { HOST_PROCESSOR, runModel } from '../simulator/run-model';
import { SCHEDULES } from '../simulator/schedule';
import { loadTarget } from '../targets/load';
import { fixtureConfig, randomModel } from './fixtures/model';
import { intTwin, quantisedReference } from './helpers/bit-planes';

/** The processor that runs host-side layers, as the CLI passes it. */
const onHost = { hostProcessor: loadBaseline(HOST_PROCESSOR) };

const tiny = loadTarget('tiny');
const loihi = loadTarget('loihi');
const ns = 1e-9, pJ = 1e-12;

/** A hand-built map whose rows repeat once per plane of their source's population, as the compiler emits them. */
function withPlanes(map: SimMap, planes: number): SimMap {
  const axons = (s: number) => map.populations.find((p) => s >= p.sourceBase && s < p.sourceBase + p.size)!.spikes?.planes ?? 1;
  const cores = map.cores.map((c) => {
    const rowSource: number[] = [], rowPlane: number[] = [], rowPtr = [0], post: number[] = [], weight: number[] = [];
    c.rowSource.forEach((s, r) => {
      for (let k = 0; k < axons(s); k++) {
        rowSource.push(s), rowPlane.push(k);
        for (let e = c.rowPtr[r]; e < c.rowPtr[r + 1]; e++) post.push(c.post[e]), weight.push(c.weight[e]);
        rowPtr.push(post.length);
      }
    });
    return { ...c, rowSource: Int32Array.from(rowSource), rowPlane: Uint8Array.from(rowPlane), rowPtr: Int32Array.from(rowPtr), post: Uint32Array.from(post), weight: Float32Array.from(weight) };
  });
  return { ...map, planes, cores };
}

/**
 * Host embedding (1 source, 4 planes, scale 0.25) → A (1 relu unit, core 0 at tile (0,0), 4 planes, scale 0.5)
 * → B (2 relu units, core 6 at tile (1,1)): one east-west and one north-south hop from A.
 */
function planeMap(signed = false): SimMap {
  const b = new MapBuilder(tiny, 'binary');
  const spikes = (scale: number): SimPopulation['spikes'] => ({ planes: 4, signed, scale });
  const emb = b.population({ name: 'embedding', kind: 'embedding', where: 'host', size: 1, slots: 1, inputs: [], spikes: spikes(0.25) });
  const A = b.population({ name: 'A', kind: 'relu', where: 'chip', size: 1, slots: 1, inputs: [emb], spikes: spikes(0.5) });
  const B = b.population({ name: 'B', kind: 'relu', where: 'chip', size: 2, slots: 1, inputs: [A] });
  const a = b.core({ core: 0, population: A, unitStart: 0, unitEnd: 1 });
  const c = b.core({ core: 6, population: B, unitStart: 0, unitEnd: 2 });
  b.synapse(a, b.source(emb, 0), 0, 0, 1);
  b.synapse(c, b.source(A, 0), 0, 0, 1).synapse(c, b.source(A, 0), 1, 0, 0.5);
  return withPlanes(b.build(), 4);
}

/** The activity, keeping a copy of every core's accumulators at its update. */
function recording(activity: Activity): { activity: Activity; acc: Float32Array[][] } {
  const acc: Float32Array[][] = [];
  return {
    acc,
    activity: {
      ...activity,
      update(core, step, a, units, slots, out) {
        (acc[core] ??= [])[step] = a.slice();
        activity.update(core, step, a, units, slots, out);
      },
    },
  };
}

describe('bit-plane events on the tiny target', () => {
  test('known answer: q = 5 (binary 101) leaves as two spikes, from the host and from a core', () => {
    // The host injects q = 5 (1.25 at scale 0.25); A fires q = 5 (2.5 at scale 0.5).
    const { activity, acc } = recording(scripted({ host: [[[0, 1.25]]], fire: { 0: [[[0, 2.5]]] } }));
    const run = simulate(planeMap(), tiny, activity, 1);
    const [s] = run.steps;
    // Host spikes on planes 0 and 2 leave at 100 and 200 ns, within the group 1 ns later; core 0 serves one
    // synapse per spike (102, 202 ns): 1·0.25 + 1·1.0 = 1.25, as the event's value. One active update: 212 ns.
    expect(Array.from(acc[0][0])).toEqual([1.25]);
    // A's two spikes leave at 214 and 216 ns (one spike_out each); east-west (1 ns) then north-south (2 ns),
    // each link free again when the next spike comes: they reach core 6 at 217 and 219 ns; 2 synapses each
    // (until 221 ns), then 2 active updates: 241 ns. B: 0.5 + 2.0 and 0.25 + 1.0. Barrier over 2 tiles: 12 ns.
    expect(Array.from(acc[1][0])).toEqual([2.5, 1.25]);
    expect(s.finish / ns).toBeCloseTo(241, 9);
    expect(s.end / ns).toBeCloseTo(253, 9);
    expect(s.ops).toMatchObject({
      synOps: 6, activeUpdates: 3, idleUpdates: 0, eventsOut: 2, eventsIn: 4, hostEvents: 2, packets: 4, deliveries: 4,
      withinGroup: 2, hopsEastWest: 2, hopsNorthSouth: 2, chipHops: 0, contention: 0,
    });
    // Synaptic ops count per spike, effective MACs once per event: embedding → A 1, A → B 2.
    const P = run.state.map.populations.length, c = run.state.c;
    expect([c.synOpsNow[0 * P + 1], c.synOpsNow[1 * P + 2]]).toEqual([2, 4]);
    expect([c.macsNow[0 * P + 1], c.macsNow[1 * P + 2]]).toEqual([1, 2]);
    // 6 synapses + 3 active updates + network (2 spike outs × 2, 2 within the group × 1, 2 E-W × 1, 2 N-S × 2)
    // + sync 2 + host 2 × 100 + static (1 chip × 1 mW + 2 cores × 0.1 mW) × 253 ns.
    const inPJ = Object.fromEntries(Object.entries(s.energy).map(([part, j]) => [part, +(j / pJ).toFixed(6)]));
    expect(inPJ).toEqual({ synaptic: 6, neuron: 30, network: 12, sync: 2, host: 200, static: 303.6, total: 553.6 });
    expect(run.state.c.scheduled).toBe(totals(run.state.c).eventsIn);
  });

  test('a signed q goes out in two’s complement: −3 = 1101 is three spikes, the top one worth −8', () => {
    const { activity, acc } = recording(scripted({ host: [[[0, -0.75]]] }));
    const run = simulate(planeMap(true), tiny, activity, 1);
    expect(Array.from(acc[0][0])).toEqual([-0.75]); // (1 + 4 − 8) · 0.25
    expect(run.steps[0].ops).toMatchObject({ hostEvents: 3, packets: 3, synOps: 3 });
    expect(run.state.c.macsNow[1]).toBe(1);
  });

  test('an event whose value rounds to q = 0 sends nothing; values beyond the planes are clamped', () => {
    const run = simulate(planeMap(), tiny, scripted({ host: [[[0, 0.1]], [[0, 100]]] }), 2);
    expect(run.steps[0].ops).toMatchObject({ hostEvents: 0, packets: 0, synOps: 0 });
    expect(run.steps[1].ops).toMatchObject({ hostEvents: 4, packets: 4, synOps: 4 }); // q = 15 = 1111
  });

  test('signed: q clamps to ±7 = ±(2^(4−1) − 1) both ways; a q = 0 event counts no MACs after another event', () => {
    // Step 0: the host sends 2.0 (q = 8 at scale 0.25, clamped to 7 = 0111: three spikes worth 0.25, 0.5,
    // 1.0); A fires 0.1 (q = round(0.2) = 0: nothing). Step 1: the host sends −3.0 (q = −12, clamped to −7,
    // two's complement 1001: two spikes, 0.25 and −2.0); A fires −5.0 (q = −10 at scale 0.5, clamped to −7:
    // 0.5 and −4.0), which B's rows (weights 1 and 0.5) take as −3.5 and −1.75.
    const { activity, acc } = recording(scripted({ host: [[[0, 2]], [[0, -3]]], fire: { 0: [[[0, 0.1]], [[0, -5]]] } }));
    const run = simulate(planeMap(true), tiny, activity, 2);
    expect(run.steps.map((s) => [s.ops.hostEvents, s.ops.eventsOut])).toEqual([[3, 0], [2, 2]]);
    expect(Array.from(acc[0][0])).toEqual([1.75]);
    expect(Array.from(acc[0][1])).toEqual([-1.75]);
    expect(Array.from(acc[1][1])).toEqual([-3.5, -1.75]);
    // Effective MACs, once per event that sends: embedding → A one per step (2); A → B only in step 1, its row
    // of 2 synapses (2). A's q = 0 event adds nothing.
    const P = run.state.map.populations.length, c = run.state.c;
    expect([c.macsNow[0 * P + 1], c.macsNow[1 * P + 2]]).toEqual([2, 2]);
  });
});

/** Low thresholds, so that every layer fires and the comparison covers the events. */
function lively() {
  const model = randomModel(fixtureConfig(), { sparsity: 0.5, seed: 3 });
  for (const [name, t] of Object.entries(model.params)) if (name.endsWith('.thr')) t.data.fill(0.01);
  return model;
}

const ids = Int32Array.from({ length: 41 }, (_, i) => (i * 5 + 1 + (i >> 2)) % 12);
const tokens = ids.length - 1;
const cases = (['chip', 'host'] as const).flatMap((decoder) => SCHEDULES.map((schedule) => [decoder, schedule] as const));

describe('a compiled bit-plane map computes the quantised model (loihi, 8 planes)', () => {
  it.each(cases)('decoder on %s, %s', (decoder, schedule) => {
    const options: Partial<CompileOptions> = { binaryEncoding: true, decoder };
    const ir = compile(lively(), loihi, options);
    const nmap = nmapBody(ir), twinMap = nmapBody(intTwin(ir));
    expect(nmap.compiler.encoding).toBe('bit-planes');
    const run = runModel(nmap, ids, { schedule, ...onHost }), twin = runModel(twinMap, ids, { schedule, ...onHost });

    // The same accumulator sums as the int map: identical log-probabilities and events, token by token.
    expect(Array.from(run.activity.logProbs)).toEqual(Array.from(twin.activity.logProbs));
    expect(Array.from(run.activity.eventsByToken)).toEqual(Array.from(twin.activity.eventsByToken));
    // And the quantised model in software, up to float32 rounding on the host.
    const want = quantisedReference(nmap, ids, tokens);
    const events = run.activity.events();
    const layerEvents = run.map.populations.flatMap((p, i) => (p.kind === 'egru' ? [events[i]] : []));
    expect(want.events.every((n) => n > 0)).toBe(true);
    expect(layerEvents).toEqual(want.events);
    for (let t = 0; t < tokens; t++) expect(Math.abs(run.activity.logProbs[t] - want.logProbs[t])).toBeLessThan(1e-5);

    // Effective MACs keep the paper's meaning (per event, not per spike); synaptic ops, packets and host
    // I/O count spikes.
    const macs = simulatedMacs(nmap, run), twinMacs = simulatedMacs(twinMap, twin);
    expect(macs.by_projection.map((p) => p.effective)).toEqual(twinMacs.by_projection.map((p) => p.effective));
    expect(macs.effective_per_token).toBeGreaterThan(0);
    const t = totals(run.state.c), u = totals(twin.state.c);
    expect(t.synOps).toBeGreaterThan(u.synOps);
    expect(t.packets).toBeGreaterThan(u.packets);
    expect(t.hostEvents).toBeGreaterThan(u.hostEvents);
    expect(t.packets).toBe(t.eventsOut + t.hostEvents);
    expect(run.state.c.scheduled).toBe(t.eventsIn);
    // The report keeps events (as the int twin counts them) apart from the spikes that carry them.
    const report = simulationReport(nmap, run, 'm.nmap'), twinReport = simulationReport(twinMap, twin, 't.nmap');
    expect(report.events_per_token).toBeCloseTo(twinReport.events_per_token, 9);
    expect(report.spikes_per_token).toBeGreaterThan(report.events_per_token);
    expect(run.state.inflight.every((n) => n === 0)).toBe(true);
  });

  test('a saved and loaded bit-plane map simulates as the one in memory', () => {
    const ir = compile(lively(), loihi, { binaryEncoding: true, decoder: 'host' });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'neuromap-planes-'));
    try {
      const file = path.join(dir, 'p.nmap');
      saveNmap(file, ir);
      const loaded = runModel(loadNmap(file), ids, onHost), direct = runModel(nmapBody(ir), ids, onHost);
      expect(Array.from(loaded.activity.logProbs)).toEqual(Array.from(direct.activity.logProbs));
      expect(totals(loaded.state.c)).toEqual(totals(direct.state.c));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a compiled bit-plane map on the tiny target (4 planes)', () => {
  test('events whose value rounds to 0 send no spike and count no MACs; everything else as the int twin', () => {
    const ir = compile(lively(), tiny, { arith: 'binary', binaryEncoding: true, decoder: 'chip' });
    const run = runModel(nmapBody(ir), ids, onHost), twin = runModel(nmapBody(intTwin(ir)), ids, onHost);
    expect(Array.from(run.activity.logProbs)).toEqual(Array.from(twin.activity.logProbs));
    expect(Array.from(run.activity.eventsByToken)).toEqual(Array.from(twin.activity.eventsByToken));
    const macs = simulatedMacs(nmapBody(ir), run).by_projection, twinMacs = simulatedMacs(nmapBody(intTwin(ir)), twin).by_projection;
    // Neither sends an event whose value rounds to 0 (simulator/neurons.ts): the twin has no q = 0 payload to
    // serve, the planes no spike; so the effective MACs agree projection by projection.
    expect(macs.map((p) => p.effective)).toEqual(twinMacs.map((p) => p.effective));
  });

  test('refuses a map whose cores disagree with its encoding, in one line', () => {
    const nmap = nmapBody(compile(lively(), tiny, { arith: 'binary', binaryEncoding: true, decoder: 'host' }));
    const native = { ...nmap, compiler: { ...nmap.compiler, encoding: 'native' as const } };
    expect(() => runModel(native, ids, onHost)).toThrow(/is malformed: core \d+ has row planes, its encoding is native/);
  });
});

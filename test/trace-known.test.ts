/**
 * Known answers for the Chrome trace writer (simulator/trace.ts), fed by hand rather than by the engine: which
 * process (pid) and thread (tid) each kind of track lands on, the process and thread metadata, when back-to-back
 * slices merge (same kind, next begin at most 1e-15 s after the last end), a slice inside the last one, and what
 * `maxSlices` keeps, drops and counts. Every trace is built and written inside its test (Stryker credits only
 * code run there). Every figure is worked out by hand in the comments.
 *
 * The map (priced: 2 chips of 2 × 2 tiles of 2 cores, 8 cores per chip): population `enc`, 6 units; map core 0
 * is global core 3 (chip 0) with units 0–2, map core 1 is global core 8 (chip 1) with units 3–5. The format's
 * pids: host 0, network links 1, chip c at 2 + c; a core's tid is its global core id, a link's its link id
 * (router · 4 + direction: east, west, north, south), the host's I/O tid 0, the timesteps tid 1. Times go in
 * as seconds and come out in µs, rounded to 6 decimals (1 ns = 0.001 µs).
 */
import * as path from 'path';
import { ChromeTrace } from '../simulator/trace';
import { loadTarget } from '../targets/load';
import { MapBuilder } from './helpers/map-builder';

const priced = loadTarget(path.join(__dirname, 'fixtures', 'priced.yaml'));
const ns = 1e-9;

function twoChipMap() {
  const b = new MapBuilder(priced);
  const enc = b.population({ name: 'enc', kind: 'relu', where: 'chip', size: 6, slots: 1, inputs: [] });
  b.core({ core: 3, population: enc, unitStart: 0, unitEnd: 3 });
  b.core({ core: 8, population: enc, unitStart: 3, unitEnd: 6 });
  return b.build();
}

interface TraceEvent { ph: string; name: string; pid: number; tid?: number; ts?: number; dur?: number; args?: object }

function parse(trace: ChromeTrace): { displayTimeUnit: string; otherData: object; traceEvents: TraceEvent[] } {
  return JSON.parse(trace.text());
}

describe('ChromeTrace', () => {
  it('puts each core on its chip’s process, links on the network’s, I/O and steps on the host’s, and names them all', () => {
    const trace = new ChromeTrace(twoChipMap());
    trace.core(1, 20 * ns, 30 * ns, 'update'); // global core 8 on chip 1: pid 3, tid 8; the first track made
    trace.core(0, 0, 4 * ns, 'synapses'); // global core 3 on chip 0: pid 2, tid 3
    trace.link(6, 4 * ns, 7 * ns); // link 6 = router 1 (6 >> 2), direction 2 (6 & 3) = north: pid 1, tid 6
    trace.host(0, 50 * ns, 'inject'); // pid 0, tid 0
    trace.step(0, 0, 100 * ns); // pid 0, tid 1, the slice named `step 0`
    expect(parse(trace)).toEqual({
      displayTimeUnit: 'ns',
      otherData: { generator: 'neuromap simulate', slices: 5, dropped: 0 },
      traceEvents: [
        // The processes: host, network, then one per chip in the map's core order (chip 0, chip 1).
        { ph: 'M', name: 'process_name', pid: 0, args: { name: 'host' } },
        { ph: 'M', name: 'process_name', pid: 1, args: { name: 'network links' } },
        { ph: 'M', name: 'process_name', pid: 2, args: { name: 'chip 0' } },
        { ph: 'M', name: 'process_name', pid: 3, args: { name: 'chip 1' } },
        // The threads in the order their tracks were first used; each sorts by its tid.
        { ph: 'M', name: 'thread_name', pid: 3, tid: 8, args: { name: 'core 8 (enc 3–5)' } },
        { ph: 'M', name: 'thread_sort_index', pid: 3, tid: 8, args: { sort_index: 8 } },
        { ph: 'M', name: 'thread_name', pid: 2, tid: 3, args: { name: 'core 3 (enc 0–2)' } },
        { ph: 'M', name: 'thread_sort_index', pid: 2, tid: 3, args: { sort_index: 3 } },
        { ph: 'M', name: 'thread_name', pid: 1, tid: 6, args: { name: 'router 1 → north' } },
        { ph: 'M', name: 'thread_sort_index', pid: 1, tid: 6, args: { sort_index: 6 } },
        { ph: 'M', name: 'thread_name', pid: 0, tid: 0, args: { name: 'host I/O' } },
        { ph: 'M', name: 'thread_sort_index', pid: 0, tid: 0, args: { sort_index: 0 } },
        { ph: 'M', name: 'thread_name', pid: 0, tid: 1, args: { name: 'timesteps' } },
        { ph: 'M', name: 'thread_sort_index', pid: 0, tid: 1, args: { sort_index: 1 } },
        // The slices in µs: 20–30 ns is ts 0.02, dur 0.01; 0–4 ns is 0, 0.004; 4–7 ns is 0.004, 0.003.
        { ph: 'X', name: 'update', pid: 3, tid: 8, ts: 0.02, dur: 0.01 },
        { ph: 'X', name: 'synapses', pid: 2, tid: 3, ts: 0, dur: 0.004 },
        { ph: 'X', name: 'packet', pid: 1, tid: 6, ts: 0.004, dur: 0.003 },
        { ph: 'X', name: 'inject', pid: 0, tid: 0, ts: 0, dur: 0.05 },
        { ph: 'X', name: 'step 0', pid: 0, tid: 1, ts: 0, dur: 0.1 },
      ],
    });
  });

  it('merges a slice of the same kind that begins within 1e-15 s of the last one’s end, and only then', () => {
    const trace = new ChromeTrace(twoChipMap());
    trace.core(0, 0, 1 * ns, 'synapses');
    // 1 ns + 1e-15 s is the double written 1.000001e-9 (node prints 1e-9 + 1e-15 as that): exactly at the
    // tolerance, so it merges: synapses 0–3 ns.
    trace.core(0, 1.000001e-9, 3 * ns, 'synapses');
    // Inside the merged slice and ending before it (2.5 < 3 ns): merges, and the end stays 3 ns.
    trace.core(0, 2 * ns, 2.5 * ns, 'synapses');
    // Another kind beginning right at 3 ns: a new slice, update 3–4 ns.
    trace.core(0, 3 * ns, 4 * ns, 'update');
    // 2e-15 s after 4 ns, twice the tolerance: a new slice, update 4.000002–6 ns, shown (6 decimals of µs) as
    // ts 0.004, dur 0.002.
    trace.core(0, 4.000002e-9, 6 * ns, 'update');
    const { otherData, traceEvents } = parse(trace);
    expect(traceEvents.filter((e) => e.ph === 'X')).toEqual([
      { ph: 'X', name: 'synapses', pid: 2, tid: 3, ts: 0, dur: 0.003 },
      { ph: 'X', name: 'update', pid: 2, tid: 3, ts: 0.003, dur: 0.001 },
      { ph: 'X', name: 'update', pid: 2, tid: 3, ts: 0.004, dur: 0.002 },
    ]);
    expect(otherData).toEqual({ generator: 'neuromap simulate', slices: 3, dropped: 0 });
  });

  it('stops recording at maxSlices, still merges into recorded slices, and counts what it dropped', () => {
    const trace = new ChromeTrace(twoChipMap(), 3);
    trace.step(0, 0, 10 * ns); // slice 1
    trace.host(0, 2 * ns, 'inject'); // slice 2
    trace.host(2 * ns, 4 * ns, 'decode'); // slice 3: the limit
    trace.host(4 * ns, 5 * ns, 'decode'); // merges into slice 3 (no new slice): decode 2–5 ns
    trace.link(0, 1 * ns, 2 * ns); // a new track (router 0 → east), its slice dropped: 1 dropped
    trace.step(1, 10 * ns, 20 * ns); // `step 1` is not `step 0`, so a new slice: 2 dropped
    // The link's track holds no slice, so it is not named in the file either (a viewer would show it empty). Times: step 0 0–10 ns is ts 0, dur 0.01;
    // inject 0–2 ns is 0, 0.002; decode 2–5 ns is 0.002, 0.003.
    expect(trace.dropped).toBe(2);
    expect(trace.text()).toBe(`{"displayTimeUnit":"ns","otherData":{"generator":"neuromap simulate","slices":3,"dropped":2},"traceEvents":[
{"ph":"M","name":"process_name","pid":0,"args":{"name":"host"}},
{"ph":"M","name":"process_name","pid":1,"args":{"name":"network links"}},
{"ph":"M","name":"process_name","pid":2,"args":{"name":"chip 0"}},
{"ph":"M","name":"process_name","pid":3,"args":{"name":"chip 1"}},
{"ph":"M","name":"thread_name","pid":0,"tid":1,"args":{"name":"timesteps"}},
{"ph":"M","name":"thread_sort_index","pid":0,"tid":1,"args":{"sort_index":1}},
{"ph":"M","name":"thread_name","pid":0,"tid":0,"args":{"name":"host I/O"}},
{"ph":"M","name":"thread_sort_index","pid":0,"tid":0,"args":{"sort_index":0}},
{"ph":"X","name":"step 0","pid":0,"tid":1,"ts":0,"dur":0.01},
{"ph":"X","name":"inject","pid":0,"tid":0,"ts":0,"dur":0.002},
{"ph":"X","name":"decode","pid":0,"tid":0,"ts":0.002,"dur":0.003}
]}
`);
  });
});

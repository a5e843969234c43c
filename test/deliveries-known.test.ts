/**
 * Known answers for simulator/deliveries.ts: what every delivery of a small hand-made map selects (its row's
 * start and end in the one synapse table, same step or next, projection), worked out by hand, and every way a
 * malformed map is refused, with the message that names what is wrong.
 *
 * The maps are written out literally (MapBuilder has no bit planes, and builds only well-formed maps) on the
 * tiny target: cores 0 and 1 share router 0 with the host, so every route starts there and needs no edge.
 * Populations: H (host embedding, sources first) and B (relu on chip, consumes H in the same step; B's own
 * events reach B in the next step). Two populations, so projection = source population · 2 + core population:
 * H → B is 1, B → B is 3; H → B is same-step (code start · 2 + 1), B → B not (start · 2).
 */
import { coreLocation } from '../targets/derive';
import { loadTarget } from '../targets/load';
import type { SimCore, SimMap, SimPopulation, SimRoutes } from '../simulator/map';
import { prepare } from '../simulator/state';

const tiny = loadTarget('tiny');

/** A synapse row: [source, plane, posts, weights]. */
type Row = [number, number, number[], number[]];
type PostArray = typeof Uint8Array | typeof Uint16Array | typeof Uint32Array;

function core(id: number, population: number, unitStart: number, unitEnd: number, rows: Row[], Post: PostArray = Uint8Array): SimCore {
  const at = coreLocation(tiny, id);
  const rowPtr = new Int32Array(rows.length + 1);
  rows.forEach(([, , post], i) => (rowPtr[i + 1] = rowPtr[i] + post.length));
  return {
    core: id, chip: at.chip, x: at.x, y: at.y, index: at.core, population, unitStart, unitEnd, thr: null, bias: null,
    rowSource: Int32Array.from(rows, (r) => r[0]), rowPlane: Uint8Array.from(rows, (r) => r[1]), rowPtr,
    post: Post.from(rows.flatMap((r) => r[2])), weight: Float32Array.from(rows.flatMap((r) => r[3])),
  };
}

/** One route per source listed (null: none), each from router 0 to the destination cores as given. */
function routes(perSource: (number[] | null)[]): SimRoutes {
  const destPtr = [0], destCore: number[] = [];
  const unitRoute = new Int32Array(perSource.length).fill(-1);
  perSource.forEach((dests, s) => {
    if (!dests) return;
    unitRoute[s] = destPtr.length - 1;
    destCore.push(...dests);
    destPtr.push(destCore.length);
  });
  const count = destPtr.length - 1;
  return {
    count, origin: new Int32Array(count), edgePtr: new Int32Array(count + 1), edgeFrom: new Int32Array(0), edgeTo: new Int32Array(0),
    destPtr: Int32Array.from(destPtr), destCore: Int32Array.from(destCore), toHost: new Uint8Array(count), unitRoute,
  };
}

function populations(hostSize: number, chipSize: number, hostPlanes?: number): SimPopulation[] {
  return [
    { name: 'H', kind: 'embedding', where: 'host', size: hostSize, sourceBase: 0, slots: 1, inputs: [],
      ...(hostPlanes ? { spikes: { planes: hostPlanes, signed: false, scale: 1 } } : {}) },
    { name: 'B', kind: 'relu', where: 'chip', size: chipSize, sourceBase: hostSize, slots: 1, inputs: [0] },
  ];
}

function simMap(pops: SimPopulation[], cores: SimCore[], perSource: (number[] | null)[], planes?: number): SimMap {
  return { target: tiny.name, arith: tiny.default_arithmetic, chips: 1, populations: pops, sources: perSource.length, planes, cores, routes: routes(perSource) };
}

const deliveries = (map: SimMap) => prepare(map, tiny).deliveries;

/**
 * One axon per source. H has 2 sources (0, 1), B 2 (2, 3; core 0 holds unit 0, core 1 unit 1).
 * Source 0 → cores 0 and 1, source 1 → core 0; B's sources go nowhere.
 * Core 0: row for source 0 (post 0, weight 1), row for source 1 (post 0, weight 2).
 * Core 1: row for source 0 with no synapse (an empty row is still a row: a delivery of zero synaptic ops).
 */
function nativeMap(change: { core1Rows?: Row[]; perSource?: (number[] | null)[]; hostPlanes?: number } = {}): SimMap {
  return simMap(populations(2, 2, change.hostPlanes), [
    core(0, 1, 0, 1, [[0, 0, [0], [1]], [1, 0, [0], [2]]]),
    core(1, 1, 1, 2, change.core1Rows ?? [[0, 0, [], []]]),
  ], change.perSource ?? [[0, 1], [0], null, null]);
}

/**
 * Two planes per source. H (sources 0, 1) sends 2 planes; B (sources 2–5) sends 1 (plain events, plane 0
 * only). Core 0 holds B's units 0–1, core 1 units 2–3. Source 0 → nowhere; source 1 (H) → cores 0 and 1;
 * source 2 (B unit 0, on core 0) → core 1; sources 3–5 nowhere.
 * Axon a = source · 2 + plane, 12 in all. In use and routed: axon 2 (source 1, plane 0), axon 3 (source 1,
 * plane 1), axon 4 (source 2, plane 0). Axon 5 (source 2, plane 1) shares source 2's route but B sends no
 * plane 1: it has no deliveries.
 */
function planesMap(core1Post: PostArray = Uint8Array): SimMap {
  return simMap(populations(2, 4, 2), [
    core(0, 1, 0, 2, [[1, 0, [0, 1], [1, 2]], [1, 1, [1], [3]]]),
    core(1, 1, 2, 4, [[1, 0, [1], [4]], [1, 1, [0, 1], [5, 6]], [2, 0, [0], [7]]], core1Post),
  ], [null, [0, 1], [1], null, null, null], 2);
}

describe('what every delivery selects, by hand', () => {
  it('one axon per source: codes, table, and the map\'s own route array', () => {
    const map = nativeMap();
    const d = deliveries(map);
    expect(d.planes).toBe(1);
    // No copy of the routes per axon when an axon is a source (Deliveries.route).
    expect(d.route).toBe(map.routes.unitRoute);
    // Source 0: deliveries 0 (core 0) and 1 (core 1); source 1: delivery 2 (core 0).
    expect(Array.from(d.base)).toEqual([0, 2, -1, -1]);
    // Delivery 0: core 0's row for source 0, entries 0 … 1: [0 · 2 + 1, 1, 1]. Delivery 1: core 1's empty row,
    // entries 1 … 1: [1 · 2 + 1, 1, 1]. Delivery 2: core 0's row for source 1, entries 1 … 2: [1 · 2 + 1, 2, 1].
    expect(Array.from(d.code)).toEqual([1, 1, 1, 3, 1, 1, 3, 2, 1]);
    expect(Array.from(d.post)).toEqual([0, 0]);
    expect(Array.from(d.weight)).toEqual([1, 2]);
  });

  it('bit planes: each plane its own rows, in axon order then core order; a plane nobody sends has none', () => {
    const d = deliveries(planesMap());
    expect(d.planes).toBe(2);
    // Axons 0, 1 (source 0): no route; 2, 3 (source 1): route 0; 4, 5 (source 2): route 1; the rest none.
    expect(Array.from(d.route)).toEqual([-1, -1, 0, 0, 1, 1, -1, -1, -1, -1, -1, -1]);
    // Axon 2: deliveries 0 (core 0), 1 (core 1); axon 3: 2 (core 0), 3 (core 1); axon 4: 4 (core 1).
    expect(Array.from(d.base)).toEqual([-1, -1, 0, 2, 4, -1, -1, -1, -1, -1, -1, -1]);
    // Row lengths in delivery order: 2 (core 0, plane 0), 1 (core 1, plane 0), 1 (core 0, plane 1), 2 (core 1,
    // plane 1), 1 (core 1, source 2): entries 0–2, 2–3, 3–4, 4–6, 6–7. H → B same step (projection 1, +1);
    // B → B next step (projection 3, +0): start 6 · 2 = 12.
    expect(Array.from(d.code)).toEqual([1, 2, 1, 5, 3, 1, 7, 4, 1, 9, 6, 1, 12, 7, 3]);
    expect(Array.from(d.post)).toEqual([0, 1, 1, 1, 0, 1, 0]);
    expect(Array.from(d.weight)).toEqual([1, 2, 4, 3, 5, 6, 7]);
  });

  it('the table\'s indices are as wide as the widest core\'s', () => {
    // Both cores 8-bit: 8-bit. Core 1 16-bit: 16-bit. Core 1 32-bit: 32-bit. The entries are the same.
    const bytes = [Uint8Array, Uint16Array, Uint32Array].map((Post) => deliveries(planesMap(Post)).post);
    expect(bytes.map((post) => post.BYTES_PER_ELEMENT)).toEqual([1, 2, 4]);
    for (const post of bytes) expect(Array.from(post)).toEqual([0, 1, 1, 1, 0, 1, 0]);
  });

  it('a map that brings its table in delivery order is served from it as it is', () => {
    const table = { post: Uint8Array.from([0, 0]), weight: Float32Array.from([1, 2]) };
    const d = deliveries({ ...nativeMap(), table });
    expect(d.post).toBe(table.post);
    expect(d.weight).toBe(table.weight);
    expect(Array.from(d.code)).toEqual([1, 1, 1, 3, 1, 1, 3, 2, 1]);
  });
});

describe('malformed maps are refused before the run, saying what is wrong', () => {
  it('a table with more or fewer entries than the cores\' rows (2)', () => {
    const short = { ...nativeMap(), table: { post: Uint8Array.from([0]), weight: Float32Array.from([1, 2]) } };
    expect(() => deliveries(short)).toThrow("the map's synapse table holds 1 indices and 2 weights, its cores' rows 2 entries");
    const fewWeights = { ...nativeMap(), table: { post: Uint8Array.from([0, 0]), weight: Float32Array.from([1]) } };
    expect(() => deliveries(fewWeights)).toThrow("the map's synapse table holds 2 indices and 1 weights, its cores' rows 2 entries");
  });

  it('a route whose destination cores are out of order, or listed twice', () => {
    expect(() => deliveries(nativeMap({ perSource: [[1, 0], [0], null, null] })))
      .toThrow('route 0 does not list its destination cores in increasing order');
    expect(() => deliveries(nativeMap({ perSource: [[0, 1], [0, 0], null, null] })))
      .toThrow('route 1 does not list its destination cores in increasing order');
  });

  it('a population sending more planes than the map has axons per source', () => {
    expect(() => deliveries(nativeMap({ hostPlanes: 2 }))).toThrow('population H sends 2 planes, the map has 1 axons per source');
  });

  it('a row for a plane its source\'s population does not send', () => {
    // Two planes per source, H sends one: core 0's row for plane 1 of source 0 (axon 1) can never be served.
    const map = simMap(populations(1, 1), [core(0, 1, 0, 1, [[0, 0, [0], [1]], [0, 1, [0], [2]]])], [[0], null], 2);
    expect(() => deliveries(map)).toThrow('core 0 has a synapse row for plane 1 of source 0, whose population sends 1');
  });

  it('a row for a source whose route does not reach the core, or that has no route', () => {
    // Source 1's route reaches core 0 only; core 1 has a row for it too.
    const notReached = nativeMap({ core1Rows: [[0, 0, [0], [3]], [1, 0, [0], [4]]] });
    expect(() => deliveries(notReached)).toThrow("core 1 has a synapse row for source 1, but the source's route does not reach it");
    // Source 1 has no route at all; core 0 has a row for it.
    expect(() => deliveries(nativeMap({ perSource: [[0, 1], null, null, null] })))
      .toThrow("core 0 has a synapse row for source 1, but the source's route does not reach it");
  });

  it('a core on a route without a row for it: the source named, not its neighbours', () => {
    // H has 4 sources (0–3), B 2 (4, 5; core 0 unit 0, core 1 unit 1). Source 0 → core 0; sources 1 and 2 →
    // cores 0 and 1; 3–5 nowhere. Deliveries: source 0 → 0; source 1 → 1 (core 0), 2 (core 1); source 2 → 3, 4.
    // Core 0 has no row for source 1: delivery 1, the first of source 1's, between source 0's and source 2's,
    // below the last routed source and above the first.
    const map = simMap(populations(4, 2), [
      core(0, 1, 0, 1, [[0, 0, [0], [1]], [2, 0, [0], [2]]]),
      core(1, 1, 1, 2, [[1, 0, [0], [3]], [2, 0, [0], [4]]]),
    ], [[0], [0, 1], [0, 1], null, null, null]);
    expect(() => deliveries(map)).toThrow(/^a core on the route of source 1 receives its events but has no synapse row for it$/);
  });

  it('the same with bit planes: the plane named too', () => {
    // H (sources 0, 1) sends 2 planes, B (2, 3) 1. Source 1 → cores 0 and 1, the others nowhere. Axon 2
    // (source 1, plane 0): deliveries 0 (core 0), 1 (core 1); axon 3 (plane 1): 2, 3. Core 1 has a row for
    // plane 1 only: delivery 1 has none, and axon 2 is the first routed axon (its deliveries start at 0).
    const map = simMap(populations(2, 2, 2), [
      core(0, 1, 0, 1, [[1, 0, [0], [1]], [1, 1, [0], [2]]]),
      core(1, 1, 1, 2, [[1, 1, [0], [3]]]),
    ], [null, [0, 1], null, null], 2);
    expect(() => deliveries(map)).toThrow(/^a core on the route of source 1 receives its events but has no synapse row for it \(plane 0\)$/);
  });
});

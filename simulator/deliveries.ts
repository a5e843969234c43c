/**
 * What a delivery means at its destination, worked out once so that serving an event is one contiguous
 * read: for every axon and every destination of its route (in route order) three integers,
 *   [start · 2 + (same step ? 1 : 0), end, projection],
 * the bounds of the axon's row in one synapse table of all cores, whether the core consumes it in this
 * step (same-step input) or the next (recurrent, or pipelined), and the projection (source population × P +
 * the core's population) its synaptic ops count for. An axon is a source (axon = source) or, in a bit-plane
 * map, one plane of a source (axon = source · planes + plane): each plane has its own rows, all planes share
 * the source's route. The table (local postsynaptic index, weight) has its rows in delivery order (axon by
 * axon, in route order), so the rows one packet selects on the cores of
 * a router, served together, are contiguous: at batch 1 a delivery touches a few synapses of a table that
 * does not fit in cache, and every cache line counts (this order made serving ~1.5× faster; interleaving
 * index and weight added nothing measurable, so they stay two arrays, the index as narrow as the map's).
 * A destination without a row for the axon is a malformed map, refused here rather than mid-run.
 * A map that brings its table already in this order (SimMap.table, as compiled maps store it) is served
 * from as it is: no copy, only the delivery codes are built.
 */
import type { SimMap } from './map';

export interface Deliveries {
  /** Axons per source (1 unless the map has bit planes). */
  planes: number;
  /** Per axon: its route (−1: none); the map's unitRoute itself when there is one axon per source. */
  route: Int32Array;
  /** Per axon: index (in triples) of its route's first destination's delivery (−1: no route). */
  base: Int32Array;
  /** [start · 2 + same step, end, projection] per delivery; start and end are entries of post/weight. */
  code: Int32Array;
  post: Uint8Array | Uint16Array | Uint32Array;
  weight: Float32Array;
}

export function prepareDeliveries(map: SimMap, sourcePop: Int32Array, ff: Uint8Array): Deliveries {
  const r = map.routes;
  const P = map.populations.length;
  const planes = map.planes ?? 1;
  const axons = map.sources * planes;
  const route = planes === 1 ? r.unitRoute : Int32Array.from({ length: axons }, (_, a) => r.unitRoute[Math.floor(a / planes)]);
  const base = new Int32Array(axons).fill(-1);
  for (let k = 0; k < r.count; k++)
    for (let d = r.destPtr[k] + 1; d < r.destPtr[k + 1]; d++)
      if (r.destCore[d] <= r.destCore[d - 1]) throw new Error(`route ${k} does not list its destination cores in increasing order`);
  // Axons in use: plane 0 of every source, every plane of a bit-plane population's sources.
  const axonsOf = map.populations.map((p) => p.spikes?.planes ?? 1);
  axonsOf.forEach((n, i) => {
    if (n > planes) throw new Error(`population ${map.populations[i].name} sends ${n} planes, the map has ${planes} axons per source`);
  });
  const used = (a: number) => a % planes < axonsOf[sourcePop[Math.floor(a / planes)]];
  let total = 0;
  for (let a = 0; a < axons; a++) {
    if (route[a] < 0 || !used(a)) continue;
    base[a] = total;
    total += r.destPtr[route[a] + 1] - r.destPtr[route[a]];
  }
  // Each delivery selects one row: find its slot core by core (the core's place in its axon's route, by
  // binary search: destinations are listed by increasing core id), give the slots consecutive places in the
  // table, then copy each core's rows there, reading the core's arrays in order. The codes hold each slot's
  // row length and projection until the places are known (fewer fresh arrays: first touches cost here).
  const rowsBefore = new Int32Array(map.cores.length + 1);
  map.cores.forEach((c, i) => (rowsBefore[i + 1] = rowsBefore[i] + c.rowSource.length));
  const table = map.table;
  const slotOfRow = table ? null : new Int32Array(rowsBefore[map.cores.length]);
  const code = new Int32Array(3 * total).fill(-1);
  map.cores.forEach((c, i) => {
    const { rowSource, rowPlane, rowPtr } = c;
    for (let row = 0; row < rowSource.length; row++) {
      const s = rowSource[row], a = s * planes + (rowPlane?.[row] ?? 0), k0 = route[a];
      if (!used(a)) throw new Error(`core ${c.core} has a synapse row for plane ${a % planes} of source ${s}, whose population sends ${axonsOf[sourcePop[s]]}`);
      const d = k0 < 0 ? -1 : findDestination(r.destCore, r.destPtr[k0], r.destPtr[k0 + 1], c.core);
      if (d < 0) throw new Error(`core ${c.core} has a synapse row for source ${s}, but the source's route does not reach it`);
      const k = base[a] + d - r.destPtr[k0];
      if (slotOfRow) slotOfRow[rowsBefore[i] + row] = k;
      code[3 * k + 1] = rowPtr[row + 1] - rowPtr[row];
      code[3 * k + 2] = sourcePop[s] * P + c.population;
    }
  });
  let entries = 0;
  for (let k = 0; k < total; k++) {
    const length = code[3 * k + 1];
    if (length < 0) {
      let a = axons - 1;
      while (!(base[a] >= 0 && base[a] <= k)) a--;
      const s = Math.floor(a / planes), plane = planes > 1 ? ` (plane ${a % planes})` : '';
      throw new Error(`a core on the route of source ${s} receives its events but has no synapse row for it${plane}`);
    }
    code[3 * k] = 2 * entries + ff[code[3 * k + 2]];
    entries += length;
    code[3 * k + 1] = entries;
  }
  if (table) {
    if (table.post.length !== entries || table.weight.length !== entries)
      throw new Error(`the map's synapse table holds ${table.post.length} indices and ${table.weight.length} weights, its cores' rows ${entries} entries`);
    return { planes, route, base, code, post: table.post, weight: table.weight };
  }
  const widest = map.cores.reduce((a, c) => Math.max(a, c.post.BYTES_PER_ELEMENT), 1);
  const post = widest === 1 ? new Uint8Array(entries) : widest === 2 ? new Uint16Array(entries) : new Uint32Array(entries);
  const weight = new Float32Array(entries);
  map.cores.forEach((c, i) => copyRows(c.post, c.weight, c.rowPtr, slotOfRow!, rowsBefore[i], code, post, weight));
  return { planes, route, base, code, post, weight };
}

/** One core's rows, read in order, each to the place of its delivery slot (code[3k] / 2). */
function copyRows(src: Deliveries['post'], w: Float32Array, rowPtr: Int32Array, slotOfRow: Int32Array, firstRow: number, code: Int32Array,
  post: Deliveries['post'], weight: Float32Array): void {
  for (let row = 0; row + 1 < rowPtr.length; row++) {
    let at = code[3 * slotOfRow[firstRow + row]] >> 1;
    for (let e = rowPtr[row], end = rowPtr[row + 1]; e < end; e++, at++) {
      post[at] = src[e];
      weight[at] = w[e];
    }
  }
}

/** Index of `core` in destCore[lo … hi−1] (increasing), or −1. */
function findDestination(destCore: Int32Array, lo: number, hi: number, core: number): number {
  let a = lo, b = hi;
  while (a < b) {
    const m = (a + b) >> 1;
    if (destCore[m] < core) a = m + 1;
    else b = m;
  }
  return a < hi && destCore[a] === core ? a : -1;
}

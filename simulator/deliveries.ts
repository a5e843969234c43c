/**
 * What a delivery means at its destination, worked out once so that serving an event is one contiguous
 * read: for every source and every destination of its route (in route order) three integers,
 *   [start · 2 + (same step ? 1 : 0), end, projection],
 * the bounds of the source's row in one interleaved synapse table of all cores, whether the core consumes
 * it in this step (same-step input) or the next (recurrent, or pipelined), and the projection (source
 * population × P + the core's population) its synaptic ops count for. The table holds each synapse as two
 * 32-bit words, the accumulator (the core's offset in the engine's accumulator buffers + the local post
 * index) then the weight, and its rows come in delivery order (source by source, in route order), so the
 * rows one packet selects on the cores of a router, served together, are contiguous: at batch 1 a delivery
 * touches a few synapses of a table that does not fit in cache, and every cache line counts.
 * A destination without a row for the source is a malformed map, refused here rather than mid-run.
 */
import type { SimMap } from './map';
import type { Network } from './network';

export interface Deliveries {
  /** Per source: index (in triples) of its route's first destination's delivery (−1: no route). */
  base: Int32Array;
  code: Int32Array;
  /** All synapses, interleaved: [2e] the accumulator index and [2e + 1] the weight (views of one buffer). */
  post: Uint32Array;
  weight: Float32Array;
}

export function prepareDeliveries(map: SimMap, net: Network, sourcePop: Int32Array, ff: Uint8Array, accBase: Int32Array): Deliveries {
  const r = map.routes;
  const P = map.populations.length;
  const base = new Int32Array(map.sources).fill(-1);
  let total = 0;
  for (let s = 0; s < map.sources; s++) {
    const route = r.unitRoute[s];
    if (route < 0) continue;
    base[s] = total;
    total += r.destPtr[route + 1] - r.destPtr[route];
  }
  // The deliveries each core receives, as (source, slot in `code`) pairs grouped by core (CSR).
  const n = map.cores.length;
  const ptr = new Int32Array(n + 1);
  for (let s = 0; s < map.sources; s++) {
    const route = r.unitRoute[s];
    if (route >= 0) for (let d = r.destPtr[route]; d < r.destPtr[route + 1]; d++) ptr[net.destIndex[d] + 1]++;
  }
  for (let i = 0; i < n; i++) ptr[i + 1] += ptr[i];
  const fill = ptr.slice(0, n), pairSource = new Int32Array(total), pairSlot = new Int32Array(total);
  for (let s = 0; s < map.sources; s++) {
    const route = r.unitRoute[s];
    if (route < 0) continue;
    for (let d = r.destPtr[route]; d < r.destPtr[route + 1]; d++) {
      const at = fill[net.destIndex[d]]++;
      pairSource[at] = s;
      pairSlot[at] = base[s] + d - r.destPtr[route];
    }
  }
  // Each delivery selects one row: find it (core by core), then lay the rows out in delivery order.
  const coreOf = new Int32Array(total), rowStart = new Int32Array(total), rowLength = new Int32Array(total), pairOf = new Int32Array(total);
  const rowOf = new Int32Array(map.sources).fill(-1); // one core's rows at a time
  map.cores.forEach((c, i) => {
    c.rowSource.forEach((s, row) => (rowOf[s] = row));
    for (let q = ptr[i]; q < ptr[i + 1]; q++) {
      const s = pairSource[q], row = rowOf[s], k = pairSlot[q];
      if (row < 0) throw new Error(`core ${c.core} receives the events of source ${s} but has no synapse row for it`);
      coreOf[k] = i;
      rowStart[k] = c.rowPtr[row];
      rowLength[k] = c.rowPtr[row + 1] - c.rowPtr[row];
      pairOf[k] = sourcePop[s] * P + c.population;
    }
    if (ptr[i + 1] - ptr[i] !== c.rowSource.length) throw new Error(`core ${c.core} has synapse rows for sources whose routes do not reach it`);
    c.rowSource.forEach((s) => (rowOf[s] = -1));
  });
  const entries = rowLength.reduce((a, b) => a + b, 0);
  const buffer = new ArrayBuffer(8 * entries);
  const post = new Uint32Array(buffer), weight = new Float32Array(buffer);
  const code = new Int32Array(3 * total);
  for (let k = 0, at = 0; k < total; k++) {
    const c = map.cores[coreOf[k]], acc = accBase[coreOf[k]], from = rowStart[k], n = rowLength[k];
    const src = c.post, w = c.weight;
    for (let e = 0; e < n; e++) {
      post[2 * (at + e)] = acc + src[from + e];
      weight[2 * (at + e) + 1] = w[from + e];
    }
    code[3 * k] = 4 * at + ff[pairOf[k]];
    code[3 * k + 1] = 2 * (at + n);
    code[3 * k + 2] = pairOf[k];
    at += n;
  }
  return { base, code, post, weight };
}

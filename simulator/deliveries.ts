/**
 * What a delivery means at its destination, worked out once so that serving an event is one contiguous
 * read: for every source and every destination of its route (in route order) three integers,
 *   [start · 2 + (same step ? 1 : 0), end, projection],
 * the bounds of the source's row in the core's interleaved synapse table, whether the core consumes it in
 * this step (same-step input) or the next (recurrent, or pipelined), and the projection (source population
 * × P + the core's population) its synaptic ops count for. The interleaved table holds each synapse as
 * two 32-bit words, postsynaptic index then weight, so a row's synapses share cache lines: at batch 1 a
 * delivery touches a few synapses of a table that does not fit in cache, and every line counts.
 * A destination without a row for the source is a malformed map, refused here rather than mid-run.
 */
import type { SimCore, SimMap } from './map';
import type { Network } from './network';

export interface Deliveries {
  /** Per source: index (in triples) of its route's first destination's delivery (−1: no route). */
  base: Int32Array;
  code: Int32Array;
  /** Per map core: its synapses interleaved, [2e] the postsynaptic index and [2e + 1] the weight (views of one buffer). */
  post: Uint32Array[];
  weight: Float32Array[];
}

/** A core's CSR synapses as alternating (index, weight) words. */
function interleave(c: SimCore): { post: Uint32Array; weight: Float32Array } {
  const buffer = new ArrayBuffer(8 * c.weight.length);
  const post = new Uint32Array(buffer), weight = new Float32Array(buffer);
  for (let e = 0; e < c.weight.length; e++) (post[2 * e] = c.post[e]), (weight[2 * e + 1] = c.weight[e]);
  return { post, weight };
}

export function prepareDeliveries(map: SimMap, net: Network, sourcePop: Int32Array, ff: Uint8Array): Deliveries {
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
  const code = new Int32Array(3 * total);
  const rowOf = new Int32Array(map.sources).fill(-1); // one core's rows at a time
  map.cores.forEach((c, i) => {
    c.rowSource.forEach((s, row) => (rowOf[s] = row));
    for (let q = ptr[i]; q < ptr[i + 1]; q++) {
      const s = pairSource[q], row = rowOf[s];
      if (row < 0) throw new Error(`core ${c.core} receives the events of source ${s} but has no synapse row for it`);
      const pair = sourcePop[s] * P + c.population, at = 3 * pairSlot[q];
      code[at] = 4 * c.rowPtr[row] + ff[pair];
      code[at + 1] = 2 * c.rowPtr[row + 1];
      code[at + 2] = pair;
    }
    if (ptr[i + 1] - ptr[i] !== c.rowSource.length) throw new Error(`core ${c.core} has synapse rows for sources whose routes do not reach it`);
    c.rowSource.forEach((s) => (rowOf[s] = -1));
  });
  const tables = map.cores.map(interleave);
  return { base, code, post: tables.map((t) => t.post), weight: tables.map((t) => t.weight) };
}

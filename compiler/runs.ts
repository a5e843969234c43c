/**
 * Runs: the synapses one presynaptic row holds on one slice. Rows are sorted by postsynaptic accumulator
 * and slices are contiguous unit ranges, so each (row, slice) pair is one contiguous run of entries. Runs
 * are what a core stores (one synapse row each) and what routing must reach (one destination each).
 */
import type { ChipProjection, Destinations, Population, QuantizedOrLater } from './ir';

export type RunVisitor = (row: number, slice: number, begin: number, end: number) => void;

/** Visits every run of a projection, row by row, slices in increasing unit order. */
export function forEachRun(p: ChipProjection, to: Population, unitSlice: Int32Array, sliceEnd: Int32Array, visit: RunVisitor): void {
  const { rowPtr, post } = p.synapses;
  const slots = to.slots;
  for (let j = 0; j < p.inputs; j++) {
    const last = rowPtr[j + 1];
    let q = rowPtr[j];
    while (q < last) {
      const s = unitSlice[(post[q] / slots) | 0];
      const limit = sliceEnd[s] * slots;
      const begin = q;
      while (q < last && post[q] < limit) q++;
      visit(j, s, begin, q);
    }
  }
}

/** End unit of every slice, indexed by slice id. */
export function sliceEnds(slices: readonly { end: number }[]): Int32Array {
  return Int32Array.from(slices, (s) => s.end);
}

/**
 * For every global source, the slices that hold a synapse from it (increasing within one projection) and
 * whether its events go to the host: the decoder's logits, and any chip population feeding a host one.
 */
export function destinations(ir: QuantizedOrLater, unitSlice: Int32Array[], sliceEnd: Int32Array): Destinations {
  const chip = ir.projections.filter((p): p is ChipProjection => p.where === 'chip');
  const ptr = new Int32Array(ir.sources + 1);
  for (const p of chip) {
    const base = ir.populations[p.from].sourceBase;
    forEachRun(p, ir.populations[p.to], unitSlice[p.to], sliceEnd, (j) => ptr[base + j + 1]++);
  }
  for (let i = 0; i < ir.sources; i++) ptr[i + 1] += ptr[i];
  const slice = new Int32Array(ptr[ir.sources]);
  const cursor = ptr.slice(0, ir.sources);
  for (const p of chip) {
    const base = ir.populations[p.from].sourceBase;
    forEachRun(p, ir.populations[p.to], unitSlice[p.to], sliceEnd, (j, s) => (slice[cursor[base + j]++] = s));
  }
  const toHost = new Uint8Array(ir.sources);
  for (const pop of ir.populations) {
    if (pop.where !== 'chip') continue;
    const feedsHost = pop.kind === 'linear' || ir.projections.some((p) => p.from === pop.id && p.where === 'host');
    if (feedsHost) toHost.fill(1, pop.sourceBase, pop.sourceBase + pop.size);
  }
  return { ptr, slice, toHost };
}

/**
 * Output axons of every global source (the target's routing.delivery). Multicast: a unit sends one packet per
 * plane and the routers copy it: one route per plane. Per destination core (Loihi): the core itself addresses
 * every destination: one output axon per destination core (and the host) per plane.
 */
export function unitFanOut(dests: Destinations, planes: Uint8Array, multicast: boolean): Int32Array {
  const n = dests.toHost.length;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const targets = dests.ptr[i + 1] - dests.ptr[i] + dests.toHost[i];
    out[i] = (multicast ? (targets > 0 ? 1 : 0) : targets) * planes[i];
  }
  return out;
}

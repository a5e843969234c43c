/**
 * Where partition (partition.ts) cuts each chip layer, under the strategy:
 * - pack: every layer greedy with no work cap, the fewest cores.
 * - balance: the same number of cores per layer as pack, the largest expected work per core as small as
 *   possible (the smallest work cap under which greedy still needs no more cores; binary search).
 * - balance with `--cores N`: N cores in all. The smallest work cap under which the layers together need
 *   at most N cores decides each layer's count; each layer is then balanced on its own count, and cores
 *   still free (when no cap can use them all without a unit over it) go, one at a time, to the busiest
 *   slice of two or more units, split where its larger half is smallest. So N cores are used whenever the
 *   layers have N units, and the busiest core is never busier than with fewer.
 * Greedy under a cap is optimal for contiguous ranges: every limit only grows as a slice takes more units.
 */
import { UserError } from '../models/config';
import { count } from './fit';
import type { Strategy } from './ir';

export interface Layers {
  /** Expected busy time per step of each unit, per chip layer. */
  work: Float64Array[];
  /** Layer i's slice end points, filled greedily under every core limit and this work cap. */
  grow: (i: number, cap: number) => number[];
  names: string[];
}

/** Slice end points of every layer: pack's, and the strategy's (the same arrays for pack). */
export function cutLayers(layers: Layers, strategy: Strategy, cores: number | undefined, target: string): number[][] {
  const all = layers.work.map((_, i) => i);
  const packed = all.map((i) => layers.grow(i, Infinity));
  if (strategy === 'pack') return packed;
  if (cores === undefined) return all.map((i) => balanced(layers, [i], packed[i].length, [packed[i]])[0]);
  const fewest = total(packed);
  if (cores < fewest)
    throw new UserError(
      `--cores ${cores}: the model needs at least ${count(fewest)} cores on ${target} ` +
        `(${all.map((i) => `${layers.names[i]} ${packed[i].length}`).join(', ')}, as --strategy pack cuts it): give --cores ${fewest} or more`,
    );
  const units = layers.work.reduce((a, w) => a + w.length, 0);
  if (cores > units)
    throw new UserError(`--cores ${cores}: the model has ${count(units)} units to place on cores, at most one core each: give --cores ${units} or fewer`);
  const spread = balanced(layers, all, cores, packed);
  const each = all.map((i) => balanced(layers, [i], spread[i].length, [spread[i]])[0]);
  return topUp(layers.work, each, cores - total(each));
}

/** Did the strategy cut every layer as pack does? */
export function sameCut(a: number[][], b: number[][]): boolean {
  return a.length === b.length && a.every((ends, i) => ends.length === b[i].length && ends.every((e, k) => e === b[i][k]));
}

function total(ends: number[][]): number {
  return ends.reduce((a, e) => a + e.length, 0);
}

function sliceWork(work: Float64Array, start: number, end: number): number {
  let sum = 0;
  for (let k = start; k < end; k++) sum += work[k];
  return sum;
}

/**
 * The given layers cut into at most `budget` slices in all, with the smallest work cap greedy can keep
 * (within 1e-4 of it); `start` is a feasible cut of them (at most `budget` slices), returned when no cap does better.
 */
function balanced(layers: Layers, which: number[], budget: number, start: number[][]): number[][] {
  let lo = 0;
  let hi = 0;
  which.forEach((i, n) => {
    const w = layers.work[i];
    for (let k = 0; k < w.length; k++) lo = Math.max(lo, w[k]);
    let from = 0;
    for (const end of start[n]) (hi = Math.max(hi, sliceWork(w, from, end))), (from = end);
  });
  let best = start;
  if (which.length === 1 && budget < 2) return best;
  while (hi - lo > 1e-4 * hi) {
    const mid = (lo + hi) / 2;
    const ends = which.map((i) => layers.grow(i, mid));
    if (total(ends) <= budget) (best = ends), (hi = mid);
    else lo = mid;
  }
  return best;
}

/** Splits the busiest slice of two or more units, `extra` times, each where the larger half is smallest (the first such point on a tie). */
function topUp(work: Float64Array[], ends: number[][], extra: number): number[][] {
  const out = ends.map((e) => [...e]);
  for (let n = 0; n < extra; n++) {
    let bestLayer = -1, bestSlice = -1, bestWork = -Infinity;
    out.forEach((e, i) => {
      let from = 0;
      e.forEach((end, s) => {
        const w = sliceWork(work[i], from, end);
        if (end - from >= 2 && w > bestWork) (bestLayer = i), (bestSlice = s), (bestWork = w);
        from = end;
      });
    });
    if (bestLayer < 0) break;
    const w = work[bestLayer], e = out[bestLayer];
    const from = bestSlice === 0 ? 0 : e[bestSlice - 1], end = e[bestSlice];
    let split = from + 1, larger = Infinity, left = 0;
    for (let m = from + 1; m < end; m++) {
      left += w[m - 1];
      const worse = Math.max(left, bestWork - left);
      if (worse < larger) (larger = worse), (split = m);
    }
    e.splice(bestSlice, 0, split);
  }
  return out;
}

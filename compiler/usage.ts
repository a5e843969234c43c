/**
 * What each slice uses of its core, computed from the runs themselves (one stored row per run and plane).
 * Partitioning keeps its own running totals while it grows slices; this independent count is what the
 * slices record and what the verifier checks against the limits.
 */
import { rowBytes } from '../targets/derive';
import type { ChipProjection, QuantizedOrLater, Usage } from './ir';
import type { CoreLimits } from './limits';
import { forEachRun } from './runs';

export interface SliceBounds {
  population: number;
  start: number;
  end: number;
}

export function sliceUsage(
  ir: QuantizedOrLater, slices: readonly SliceBounds[], unitSlice: Int32Array[], sliceEnd: Int32Array,
  fanOut: Int32Array, planes: Uint8Array, limits: CoreLimits,
): Usage[] {
  const usage: Usage[] = slices.map((s) => {
    const pop = ir.populations[s.population];
    const neurons = s.end - s.start;
    let out = 0;
    for (let k = s.start; k < s.end; k++) out += fanOut[pop.sourceBase + k];
    return { neurons, memoryBytes: neurons * limits.neuronBytes, fanIn: 0, fanOut: out, synapses: 0, addresses: neurons * pop.slots };
  });
  const row = limits.row;
  for (const p of ir.projections) {
    if (p.where !== 'chip') continue;
    const base = ir.populations[p.from].sourceBase;
    forEachRun(p as ChipProjection, ir.populations[p.to], unitSlice[p.to], sliceEnd, (j, s, begin, end) => {
      const u = usage[s];
      const axons = planes[base + j];
      u.fanIn += axons;
      u.synapses += axons * (end - begin);
      u.memoryBytes += axons * rowBytes(row, end - begin);
    });
  }
  return usage;
}

/** The limits a usage breaks, as (name, used, limit), empty when it fits. */
export function exceeded(u: Usage, limits: CoreLimits): { limit: string; used: number; available: number }[] {
  const checks: [string, number, number][] = [
    ['neurons', u.neurons, limits.neurons],
    ['memory bytes', u.memoryBytes, limits.memoryBytes],
    ['fan-in (input axons)', u.fanIn, limits.fanIn],
    ['fan-out (output axons)', u.fanOut, limits.fanOut],
    ['postsynaptic addresses (index bits)', u.addresses, limits.addresses],
  ];
  return checks.filter(([, used, available]) => used > available).map(([limit, used, available]) => ({ limit, used, available }));
}

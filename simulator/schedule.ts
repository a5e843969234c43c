/**
 * How tokens move through the layers, as a change of the map's same-step inputs and a token lag per
 * population (timestep s computes token s − lag):
 * - sequential: a token passes every layer within its timestep (latency per token); lags are 0.
 * - pipelined: each chip population works on the events its inputs sent in the previous timestep, so
 *   layer l computes token t while layer l + 1 computes token t − 1 (throughput). Only the host's injection
 *   stays same-step; every other event is served into the next step's accumulators, like recurrent ones.
 *   A population's lag is its depth below the host; a host-side consumer (a host decoder) reads its chip
 *   input in the step it arrives, so it shares that input's lag. Fill and drain take max lag extra steps.
 */
import type { SimMap } from './map';

export type Schedule = 'sequential' | 'pipelined';
export const SCHEDULES: readonly Schedule[] = ['sequential', 'pipelined'];

export function scheduled(map: SimMap, schedule: Schedule): { map: SimMap; lag: Int32Array } {
  const P = map.populations.length;
  if (schedule === 'sequential') return { map, lag: new Int32Array(P) };
  const lag = new Int32Array(P).fill(-1);
  const visit = (p: number, path: Set<number>): number => {
    if (lag[p] >= 0) return lag[p];
    if (path.has(p)) throw new Error(`population ${map.populations[p].name} feeds itself through other populations: no pipeline order`);
    path.add(p);
    const pop = map.populations[p];
    let depth = 0;
    for (const q of pop.inputs) {
      const src = map.populations[q];
      if (src.where === 'host' && src.inputs.length === 0) continue; // the host's injection: same step
      const d = visit(q, path);
      depth = Math.max(depth, pop.where === 'chip' && src.where === 'chip' ? d + 1 : d);
    }
    path.delete(p);
    return (lag[p] = depth);
  };
  for (let p = 0; p < P; p++) visit(p, new Set());
  const populations = map.populations.map((p) => ({
    ...p,
    inputs: p.where === 'chip' ? p.inputs.filter((q) => map.populations[q].where === 'host') : p.inputs,
  }));
  return { map: { ...map, populations }, lag };
}

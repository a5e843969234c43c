/**
 * How tokens move through the layers, as a change of the map's same-step inputs and a token lag per
 * population (timestep s computes token s − lag):
 * - sequential: a token passes every layer within its timestep (latency per token); lags are 0.
 * - pipelined: each chip population works on the events its inputs sent in the previous timestep, so
 *   layer l computes token t while layer l + 1 computes token t − 1 (throughput). What a chip population gets
 *   from the host stays same-step (today only the embedding's injection: the compiler keeps a projection and the
 *   decoder on one side); every other event is served into the next step's accumulators, like recurrent ones.
 *   A population's lag is its depth below the host; a host-side consumer (a host decoder) reads its chip
 *   input in the step it arrives, so it shares that input's lag. Fill and drain take max lag extra steps.
 */
import { Graph, alg } from '@dagrejs/graphlib';
import type { SimMap } from './map';

export type Schedule = 'sequential' | 'pipelined';
export const SCHEDULES: readonly Schedule[] = ['sequential', 'pipelined'];

export function scheduled(map: SimMap, schedule: Schedule): { map: SimMap; lag: Int32Array } {
  const P = map.populations.length;
  if (schedule === 'sequential') return { map, lag: new Int32Array(P) };
  const waits = sameStepGraph(map);
  const cycle = alg.findCycles(waits)[0];
  if (cycle) throw new Error(`population ${map.populations[Number(cycle[0])].name} feeds itself through other populations: no pipeline order`);
  // In topological order every input's lag is known before its consumer's: a chip input from a chip
  // population adds a step, a host consumer shares its input's lag.
  const lag = new Int32Array(P);
  for (const node of alg.topsort(waits)) {
    const p = Number(node), pop = map.populations[p];
    for (const q of waits.predecessors(node) ?? []) {
      const src = map.populations[Number(q)];
      lag[p] = Math.max(lag[p], pop.where === 'chip' && src.where === 'chip' ? lag[Number(q)] + 1 : lag[Number(q)]);
    }
  }
  const populations = map.populations.map((p) => ({
    ...p,
    inputs: p.where === 'chip' ? p.inputs.filter((q) => map.populations[q].where === 'host') : p.inputs,
  }));
  return { map: { ...map, populations }, lag };
}

/** Populations (by index) and who feeds whom, leaving out the host's injection (a host population with no inputs): it is served in the same step. */
function sameStepGraph(map: SimMap): Graph {
  const g = new Graph({ directed: true });
  map.populations.forEach((_, p) => g.setNode(String(p)));
  map.populations.forEach((pop, p) => {
    for (const q of pop.inputs) {
      const src = map.populations[q];
      if (!(src.where === 'host' && src.inputs.length === 0)) g.setEdge(String(q), String(p));
    }
  });
  return g;
}

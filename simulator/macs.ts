/**
 * The paper's MAC accounting (models/macs.ts) from a simulated run, so that the report's `macs` has the
 * shape and the meaning of `neuromap eval --json`: per projection, dense = inputs × outputs (an EGRU layer's
 * outputs are its 3H gate rows), effective = one MAC per input event × synapse of its row on chip that
 * served a token (run-model.ts macsByPair), or the host's own MACs for a projection it computes; λ_activity
 * from the events of the projection's source.
 *
 * Effective MACs are not synaptic ops. Synaptic ops are the cost the target charges: one per synapse of every
 * row a packet is served by. With graded events the two are equal (a quantised event of value 0 still
 * travels and is served, so it counts in both). In a bit-plane map an event of value q leaves as one spike
 * per set bit of q, and each spike is served by its plane's row: popcount(q) synaptic ops per synapse, but
 * still one MAC, and none for q = 0, which sends nothing. So MACs keep the paper's meaning and the same value
 * as the map's int twin, while energy and time follow the synaptic ops.
 */
import { macReport, type MacReport, type ProjectionTally } from '../models/macs';
import type { ModelRun } from './run-model';
import type { NmapBody } from './from-nmap';

export function simulatedMacs(nmap: NmapBody, run: ModelRun): MacReport {
  return macReport(simulatedTallies(nmap, run));
}

/** One tally per projection of the map, in the map's order (macReport's input; neurobench.ts reads them too). */
export function simulatedTallies(nmap: NmapBody, run: ModelRun): ProjectionTally[] {
  const P = run.map.populations.length;
  const { activity, tokens } = run;
  return nmap.projections.map((p): ProjectionTally => {
    const to = run.map.populations[p.to];
    const outputs = to.kind === 'egru' ? 3 * to.size : to.size;
    const hostLayer = activity.head.layers.find((l) => l.name === p.name);
    if (p.where === 'host') {
      if (!hostLayer) throw new Error(`projection ${p.name} runs on the host, which does not compute it`);
      return tally(p.name, p.matrix, p.inputs, outputs, hostLayer.rowNonZeros.reduce((a, b) => a + b, 0), hostLayer.activeInputs, hostLayer.macs, hostLayer.binaryMacs, tokens);
    }
    // A recurrent projection's inputs are the previous token's events: the last token's serve nobody.
    const recurrent = p.from === p.to;
    let active = 0;
    if (run.map.populations[p.from].kind === 'embedding') active = activity.hostInjected;
    else for (let t = 0; t < tokens - (recurrent ? 1 : 0); t++) active += activity.eventsByToken[t * P + p.from];
    return tally(p.name, p.matrix, p.inputs, outputs, p.synapses, active, run.macsByPair[p.from * P + p.to], run.binaryMacsByPair[p.from * P + p.to], tokens);
  });
}

/** macReport reads only Σ rowNonZeros of a tally, so one entry holding the projection's non-zeros will do. */
function tally(
  name: string, matrix: string, inputs: number, outputs: number, nonZeros: number, activeInputs: number, effective: number, binaryEffective: number, tokens: number,
): ProjectionTally {
  return { name, matrix, inputs, outputs, rowNonZeros: Int32Array.of(nonZeros), activeInputs, effective, binaryEffective, tokens };
}

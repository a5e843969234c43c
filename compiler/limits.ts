/**
 * The per-core and per-table limits of a target (targets/resolve.ts), as plain numbers for the hot loops of
 * partitioning and checking. Memory follows the target's synapse encoding: a row (one presynaptic axon) of
 * n synapses takes ⌈(row_overhead + n · (weight + index + extra bits)) / word⌉ words (targets/derive.ts rowBytes).
 */
import type { CoreLimits } from '../targets/resolve';
import type { QuantizedOrLater } from './ir';

/** The limits themselves are ctx.resolved.limits, resolved once per compile (compiler/context.ts). */
export type { CoreLimits };

/** Axons per unit of every population: the bit-plane count for bit-plane events, else 1. */
export function axonsPerUnit(ir: QuantizedOrLater): number[] {
  return ir.neurons.map((n) => (n.event.kind === 'planes' ? n.event.planes : 1));
}

/** Per global source: its population's axons per unit. */
export function sourcePlanes(ir: QuantizedOrLater): Uint8Array {
  const planes = axonsPerUnit(ir);
  const out = new Uint8Array(ir.sources);
  for (const p of ir.populations) out.fill(planes[p.id], p.sourceBase, p.sourceBase + p.size);
  return out;
}

/** Per global source: expected events per step. */
export function sourceActivity(ir: QuantizedOrLater): Float32Array {
  const out = new Float32Array(ir.sources);
  for (const p of ir.populations) out.set(p.activity, p.sourceBase);
  return out;
}

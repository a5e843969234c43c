/**
 * The per-core and per-table limits of a target, in one place, as plain numbers for the hot loops of
 * partitioning and checking. Memory follows the target's synapse encoding: a row (one presynaptic axon) of
 * n synapses takes ⌈(row_overhead + n · (weight + index + extra bits)) / word⌉ words (targets/derive.ts rowBytesOf).
 */
import { rowBytesOf } from '../targets/derive';
import type { Context, QuantizedOrLater } from './ir';

export interface CoreLimits {
  neurons: number;
  memoryBytes: number;
  neuronBytes: number;
  fanIn: number;
  fanOut: number;
  /** Postsynaptic addresses the index bits can name. */
  addresses: number;
  tableEntries: number;
  scope: 'core' | 'group' | 'chip';
  /** Routers copy a spike to its destinations (one output axon per unit and plane); else one message, and axon, per destination core. */
  multicast: boolean;
  /** Bytes of one synapse row holding n synapses, padded to whole words. */
  rowBytes(n: number): number;
}

export function coreLimits(ctx: Context): CoreLimits {
  const t = ctx.target;
  const e = t.core.synapse_encoding;
  return {
    neurons: t.core.neurons.value,
    memoryBytes: t.core.memory_bytes.value,
    neuronBytes: t.core.neuron_bytes.value,
    fanIn: t.core.fan_in.value,
    fanOut: t.core.fan_out.value,
    addresses: 2 ** e.index_bits.value,
    tableEntries: t.routing.table_entries.value,
    scope: t.routing.table_scope,
    multicast: t.routing.delivery.value === 'multicast',
    rowBytes: rowBytesOf(t, ctx.arithName),
  };
}

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

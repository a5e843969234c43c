/**
 * Pass 6, emit: one map per core, as the target stores it and the simulator reads it.
 *
 * A core holds one slice: its units' thresholds and biases (per accumulator, in the population's number
 * format) and a synapse table of compressed rows by presynaptic axon. A row is (global source id, plane)
 * with entries (local postsynaptic accumulator, weight); local accumulator = (unit − unitStart) × slots +
 * slot, so for an EGRU slot 0 = z, 1 = r, 2 = W_g·x, 3 = R_g·y. Rows come projection by projection, sources in
 * increasing order; under bit-plane encoding a weight appears in each plane's row with the same stored
 * value, plane k counting 2^k times (−2^k for the top plane of a signed source). Routing tables and routes
 * stay as route built them; nmap.ts writes everything as one file.
 */
import { coreLocation } from '../targets/derive';
import { lowerBound } from './csr';
import { withNotes } from './diagnostics';
import type { ChipProjection, CoreMap, Emitted, Routed, Slice, WeightValues } from './ir';
import { sourcePlanes } from './limits';

export function emit(ir: Routed): Emitted {
  const planes = sourcePlanes(ir);
  const limits = ir.ctx.resolved.limits;
  const entriesOf = routingEntriesPerCore(ir);
  const order = [...ir.slices].sort((a, b) => ir.sliceCore[a.id] - ir.sliceCore[b.id]);
  const cores = order.map((s) => coreMap(ir, s, planes, limits.addresses, entriesOf(s)));
  const next: Emitted = { ...ir, stage: 'emitted', cores };
  const rows = cores.reduce((a, c) => a + c.rowSource.length, 0);
  return withNotes(next, [{ pass: 'emit', level: 'info', message: `${cores.length} core maps, ${rows} synapse rows` }]);
}

function coreMap(ir: Routed, s: Slice, planes: Uint8Array, addresses: number, routingEntries: number): CoreMap {
  const pop = ir.populations[s.population];
  const core = ir.sliceCore[s.id];
  const at = coreLocation(ir.ctx.target, core);
  const q = ir.neurons[pop.id];
  const lo = s.start * pop.slots, hi = s.end * pop.slots;
  const into = ir.projections.filter((p): p is ChipProjection => p.where === 'chip' && p.to === pop.id);

  // Count rows and entries first, then fill typed arrays of exactly that size.
  let rows = 0, entries = 0;
  for (const p of into) {
    const base = ir.populations[p.from].sourceBase;
    for (let j = 0; j < p.inputs; j++) {
      const n = lowerBound(p.synapses, j, hi) - lowerBound(p.synapses, j, lo);
      if (n > 0) (rows += planes[base + j]), (entries += n * planes[base + j]);
    }
  }
  const rowSource = new Int32Array(rows);
  const rowPlane = ir.ctx.encoding === 'bit-planes' ? new Uint8Array(rows) : null;
  const rowPtr = new Int32Array(rows + 1);
  const post = addresses <= 256 ? new Uint8Array(entries) : addresses <= 65536 ? new Uint16Array(entries) : new Uint32Array(entries);
  let weight: WeightValues | null = null;
  let r = 0, e = 0;
  for (const p of into) {
    const base = ir.populations[p.from].sourceBase;
    const values = ir.weights[p.id]!.values;
    weight ??= new (values.constructor as new (n: number) => WeightValues)(entries);
    const all = p.synapses.post;
    for (let j = 0; j < p.inputs; j++) {
      const b = lowerBound(p.synapses, j, lo), end = lowerBound(p.synapses, j, hi);
      if (end === b) continue;
      for (let plane = 0; plane < planes[base + j]; plane++) {
        rowSource[r] = base + j;
        if (rowPlane) rowPlane[r] = plane;
        for (let k = b; k < end; k++, e++) {
          post[e] = all[k] - lo;
          weight[e] = values[k];
        }
        rowPtr[++r] = e;
      }
    }
  }
  return {
    core, chip: at.chip, x: at.x, y: at.y, index: at.core, slice: s.id, population: pop.id, unitStart: s.start, unitEnd: s.end,
    thr: q.thr ? q.thr.slice(s.start, s.end) : null,
    bias: q.bias ? q.bias.slice(lo, hi) : null,
    rowSource, rowPlane, rowPtr, post, weight: weight ?? new Float32Array(0), usage: s.usage, routingEntries,
  };
}

/** Entries of the routing table a core's packets start from: its own (core scope), its group's or its chip's router. */
function routingEntriesPerCore(ir: Routed): (s: Slice) => number {
  const t = ir.tables;
  const byOwner = new Map<number, number>();
  t.owner.forEach((owner, i) => byOwner.set(owner, t.entries[i]));
  const topo = ir.ctx.resolved.topology;
  const cellsPerChip = topo.meshWidth * topo.meshHeight;
  return (s) => {
    if (t.scope === 'core') return s.usage.fanOut;
    const at = coreLocation(ir.ctx.target, ir.sliceCore[s.id]);
    const router = at.chip * cellsPerChip + at.y * topo.meshWidth + at.x;
    return byOwner.get(t.scope === 'chip' ? at.chip : router) ?? 0;
  };
}

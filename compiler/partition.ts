/**
 * Pass 3, partition: every chip population → core-sized slices (contiguous unit ranges, one population per
 * core) under every per-core limit: neurons, postsynaptic addresses, memory in the target's synapse
 * encoding, fan-in and fan-out.
 *
 * Strategies:
 * - pack: fewest cores. Greedy filling is optimal here: each limit only grows as a slice takes more units,
 *   so closing a slice later can never cost a core.
 * - balance: as many cores as pack, but the largest expected work per core as small as possible (binary
 *   search on a work cap, greedy under it); with --cores N, N cores in all (balance.ts). Work is the expected
 *   busy time per step of each unit, from the calibrated activity of its sources and the target's per-operation
 *   latencies. When balance cuts every layer as pack does, a warning says why and what would give it room.
 *
 * With per-destination-core delivery (Loihi) a unit's fan-out is its number of destination cores, which depends
 * on how its consumers are partitioned (its own layer, through the recurrence, included). The pass iterates:
 * partition with the fan-out seen so far, recount, and repeat while any unit's fan-out grew (slices only
 * shrink, so this ends).
 */
import { rowBytes } from '../targets/derive';
import { cutLayers, sameCut, type Layers } from './balance';
import { withNotes } from './diagnostics';
import { count, doesNotFit, type Limit } from './fit';
import type { ChipProjection, Partitioned, Population, Quantized, Slice, Strategy } from './ir';
import { sourceActivity, sourcePlanes, type CoreLimits } from './limits';
import { destinations, sliceEnds, unitFanOut } from './runs';
import { exceeded, sliceUsage } from './usage';

export function partition(ir: Quantized): Partitioned {
  const limits = ir.ctx.resolved.limits;
  const planes = sourcePlanes(ir);
  const activity = sourceActivity(ir);
  const multicast = limits.multicast;
  const chipPops = ir.populations.filter((p) => p.where === 'chip');
  const inputs = new Map(chipPops.map((p) => [p.id, incomingPairs(ir, p)]));
  const work = new Map(chipPops.map((p) => [p.id, unitWork(ir, p, inputs.get(p.id)!, activity)]));
  const scratch = { rowCount: new Int32Array(ir.sources), touched: new Int32Array(ir.sources) };
  const layers = (fan: Int32Array): Layers => ({
    work: chipPops.map((p) => work.get(p.id)!),
    grow: (i, cap) => greedy(ir, chipPops[i], inputs.get(chipPops[i].id)!, work.get(chipPops[i].id)!, fan, planes, limits, scratch, cap),
    names: chipPops.map((p) => p.name),
  });
  const layoutOf = (strategy: Strategy): Layout => {
    const fan = initialFanOut(ir, planes, multicast);
    const cutAll = () => build(ir, cutLayers(layers(fan), strategy, ir.ctx.options.cores, ir.ctx.target.name));
    let layout = cutAll();
    // Recount until nothing grows. This ends: every further round raises some unit's count, and a count (the cores
    // a unit reaches) never exceeds the number of slices, so the sum of counts is bounded. A chain of D layers needs
    // about D rounds (a recut propagates back one layer a round); a fixed cap of rounds refused long chains that
    // fit, blaming a slice the compiler had cut itself.
    while (!multicast) {
      const actual = unitFanOut(layout.dests, planes, false);
      let grew = false;
      for (let i = 0; i < fan.length; i++) if (actual[i] > fan[i]) (fan[i] = actual[i]), (grew = true);
      if (!grew) break;
      layout = cutAll();
    }
    return layout;
  };
  const layout = layoutOf(ir.ctx.options.strategy);
  // What pack would have made, to say so when the strategy changed nothing.
  const packed = ir.ctx.options.strategy === 'pack' ? layout : layoutOf('pack');
  const fanOut = unitFanOut(layout.dests, planes, multicast);
  const usage = sliceUsage(ir, layout.bounds, layout.unitSlice, layout.sliceEnd, fanOut, planes, limits);
  const slices: Slice[] = layout.bounds.map((b, id) => {
    const w = work.get(b.population)!;
    let sum = 0;
    for (let k = b.start; k < b.end; k++) sum += w[k];
    return { id, ...b, usage: usage[id], work: sum };
  });
  for (const s of slices) {
    const bad = exceeded(s.usage, limits)[0];
    if (bad)
      throw doesNotFit(ir.ctx, bad.limit.startsWith('fan-out') ? 'fan-out' : 'memory',
        `${ir.populations[s.population].name} units ${s.start}–${s.end - 1} need ${count(bad.used)} ${bad.limit}, a core has ${count(bad.available)}`);
  }
  const next: Partitioned = { ...ir, stage: 'partitioned', slices, unitSlice: layout.unitSlice, destinations: layout.dests };
  const unchanged = ir.ctx.options.strategy !== 'pack' && sameCut(endsOf(layout), endsOf(packed));
  return withNotes(next, [
    { pass: 'partition', level: 'info', message: describe(ir, slices) },
    ...(unchanged ? [{ pass: 'partition', level: 'warning' as const, message: asPack(ir, packed) }] : []),
  ]);
}

interface Pairs {
  /** Unit k's presynaptic sources: src[ptr[k] … ptr[k+1]−1] (global ids), each with its synapse count into k. */
  ptr: Int32Array;
  src: Int32Array;
  cnt: Uint8Array;
}

/** Incoming (source, synapses) pairs per unit: the transpose of the rows, one pair per (row, unit). */
function incomingPairs(ir: Quantized, pop: Population): Pairs {
  const into = ir.projections.filter((p): p is ChipProjection => p.where === 'chip' && p.to === pop.id);
  const ptr = new Int32Array(pop.size + 1);
  const each = (visit: (unit: number, source: number, n: number) => void) => {
    for (const p of into) {
      const base = ir.populations[p.from].sourceBase;
      const { rowPtr, post } = p.synapses;
      for (let j = 0; j < p.inputs; j++) {
        let q = rowPtr[j];
        while (q < rowPtr[j + 1]) {
          const unit = (post[q] / pop.slots) | 0;
          const begin = q;
          while (q < rowPtr[j + 1] && ((post[q] / pop.slots) | 0) === unit) q++;
          visit(unit, base + j, q - begin);
        }
      }
    }
  };
  each((unit) => ptr[unit + 1]++);
  for (let k = 0; k < pop.size; k++) ptr[k + 1] += ptr[k];
  const src = new Int32Array(ptr[pop.size]);
  const cnt = new Uint8Array(ptr[pop.size]);
  const cursor = ptr.slice(0, pop.size);
  each((unit, source, n) => {
    const q = cursor[unit]++;
    src[q] = source;
    cnt[q] = n;
  });
  return { ptr, src, cnt };
}

/** Expected busy time per step of each unit: its update, the synaptic operations its inputs cause, its spikes. */
function unitWork(ir: Quantized, pop: Population, pairs: Pairs, activity: Float32Array): Float64Array {
  const { costs } = ir.ctx.resolved;
  const update = costs.neuron_update_active.latency, synop = costs.synaptic_op.latency, spike = costs.spike_out.latency;
  const out = new Float64Array(pop.size);
  for (let k = 0; k < pop.size; k++) {
    let ops = 0;
    for (let q = pairs.ptr[k]; q < pairs.ptr[k + 1]; q++) ops += activity[pairs.src[q]] * pairs.cnt[q];
    out[k] = update + ops * synop + pop.activity[k] * spike;
  }
  return out;
}

/** A lower bound of every source's fan-out: one per consuming projection it has synapses in, one for the host. */
function initialFanOut(ir: Quantized, planes: Uint8Array, multicast: boolean): Int32Array {
  const fan = new Int32Array(ir.sources);
  for (const p of ir.projections) {
    const from = ir.populations[p.from];
    if (from.where !== 'chip') continue;
    for (let j = 0; j < from.size; j++) {
      const used = p.where === 'host' || p.synapses.rowPtr[j + 1] > p.synapses.rowPtr[j];
      if (used && (!multicast || fan[from.sourceBase + j] === 0)) fan[from.sourceBase + j] += planes[from.sourceBase + j];
    }
  }
  // The decoder's logits go to the host: one axon per unit.
  for (const pop of ir.populations) if (pop.kind === 'linear' && pop.where === 'chip') fan.fill(1, pop.sourceBase, pop.sourceBase + pop.size);
  return fan;
}

interface Scratch {
  rowCount: Int32Array;
  touched: Int32Array;
}

/** Fills slices unit by unit, closing one when the next unit would break a limit (or the work cap). */
function greedy(
  ir: Quantized, pop: Population, pairs: Pairs, work: Float64Array, fan: Int32Array, planes: Uint8Array,
  limits: CoreLimits, scratch: Scratch, workCap: number,
): number[] {
  const { rowCount, touched } = scratch;
  const { ptr, src, cnt } = pairs;
  const maxUnits = Math.min(limits.neurons, Math.floor(limits.addresses / pop.slots));
  const row = limits.row;
  const ends: number[] = [];
  let n = 0, mem = 0, fanIn = 0, fanOut = 0, busy = 0, nTouched = 0;
  const reset = () => {
    for (let i = 0; i < nTouched; i++) rowCount[touched[i]] = 0;
    n = mem = fanIn = fanOut = busy = nTouched = 0;
  };
  for (let k = 0; k < pop.size; k++) {
    const f = fan[pop.sourceBase + k];
    for (;;) {
      let dMem = limits.neuronBytes;
      let dIn = 0;
      for (let q = ptr[k]; q < ptr[k + 1]; q++) {
        const a = src[q];
        const old = rowCount[a];
        // A new row costs all its bytes, header included; a growing one only its growth.
        if (old === 0) (dIn += planes[a]), (dMem += planes[a] * rowBytes(row, cnt[q]));
        else dMem += planes[a] * (rowBytes(row, old + cnt[q]) - rowBytes(row, old));
      }
      if (n < maxUnits && mem + dMem <= limits.memoryBytes && fanIn + dIn <= limits.fanIn && fanOut + f <= limits.fanOut && busy + work[k] <= workCap) {
        for (let q = ptr[k]; q < ptr[k + 1]; q++) {
          if (rowCount[src[q]] === 0) touched[nTouched++] = src[q];
          rowCount[src[q]] += cnt[q];
        }
        n++, (mem += dMem), (fanIn += dIn), (fanOut += f), (busy += work[k]);
        break;
      }
      if (n === 0) {
        reset();
        throw unitTooBig(ir, pop, k, { maxUnits, dMem, dIn, f }, limits);
      }
      ends.push(k);
      reset();
    }
  }
  if (n > 0) ends.push(pop.size);
  reset();
  return ends;
}

function unitTooBig(ir: Quantized, pop: Population, k: number, need: { maxUnits: number; dMem: number; dIn: number; f: number }, limits: CoreLimits): Error {
  const alone = `${pop.name} unit ${k} alone needs`;
  const checks: [Limit, boolean, string][] = [
    ['addresses', need.maxUnits < 1, `${pop.slots} postsynaptic addresses, the index bits name ${count(limits.addresses)}`],
    ['memory', need.dMem > limits.memoryBytes, `${count(need.dMem)} bytes of core memory (its synapse rows and state), a core has ${count(limits.memoryBytes)}`],
    ['fan-in', need.dIn > limits.fanIn, `${count(need.dIn)} input axons, a core has ${count(limits.fanIn)} (fan-in)`],
    ['fan-out', need.f > limits.fanOut, `${count(need.f)} output axons, a core has ${count(limits.fanOut)} (fan-out)`],
  ];
  const [limit, , what] = checks.find(([, failed]) => failed) ?? checks[1];
  return doesNotFit(ir.ctx, limit, `${alone} ${what}`);
}

interface Layout {
  bounds: { population: number; start: number; end: number }[];
  unitSlice: Int32Array[];
  sliceEnd: Int32Array;
  dests: ReturnType<typeof destinations>;
}

function build(ir: Quantized, ends: number[][]): Layout {
  const bounds: Layout['bounds'] = [];
  const unitSlice = ir.populations.map((p) => new Int32Array(p.size).fill(-1));
  const chipPops = ir.populations.filter((p) => p.where === 'chip');
  chipPops.forEach((pop, i) => {
    let start = 0;
    for (const end of ends[i]) {
      unitSlice[pop.id].fill(bounds.length, start, end);
      bounds.push({ population: pop.id, start, end });
      start = end;
    }
  });
  const sliceEnd = sliceEnds(bounds);
  return { bounds, unitSlice, sliceEnd, dests: destinations(ir, unitSlice, sliceEnd) };
}

function describe(ir: Quantized, slices: Slice[]): string {
  const per = ir.populations
    .filter((p) => p.where === 'chip')
    .map((p) => {
      const mine = slices.filter((s) => s.population === p.id);
      const largest = mine.reduce((most, s) => Math.max(most, s.end - s.start), -Infinity);
      return `${p.name} ${mine.length} (≤${largest} units)`;
    });
  const cores = ir.ctx.options.cores === undefined ? '' : ` (--cores ${ir.ctx.options.cores})`;
  return `${ir.ctx.options.strategy}${cores}: ${slices.length} slices: ${per.join(', ')}`;
}

/** Slice end points per chip population, in population order. */
function endsOf(layout: Layout): number[][] {
  const ends = new Map<number, number[]>();
  for (const b of layout.bounds) ends.set(b.population, [...(ends.get(b.population) ?? []), b.end]);
  return [...ends.values()];
}

/** The note when balance cut every layer as pack does: why, and what would give it room. */
function asPack(ir: Quantized, packed: Layout): string {
  const o = ir.ctx.options;
  const cores = packed.bounds.length;
  const chipPops = ir.populations.filter((p) => p.where === 'chip');
  const why = cores === chipPops.length
    ? 'each layer already fits one core'
    : `no cut of pack's ${cores} cores leaves less expected work on the busiest core` +
      (ir.calibrated ? '' : ' (without --calibrate every unit is counted active every step)');
  const room = o.cores === undefined ? `use --cores N (more than ${cores}) to spread` : `--cores ${o.cores} is pack's count: give more to spread`;
  return `${o.strategy} placed every layer as pack would: ${why}; ${room}`;
}

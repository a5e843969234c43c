/**
 * The invariants, checked after each pass (pipeline.ts): every unit placed exactly once, every non-zero
 * weight stored exactly once (once per plane under bit-plane encoding) with its quantised value, no limit
 * exceeded, routes reaching exactly the cores that hold a synapse from their source. Each check recomputes
 * from the model's own tensors or by another method than the pass used, so a pass cannot agree with
 * itself. A failure is a compiler bug, not a user error: it throws a plain Error listing what broke.
 */
import { EMBEDDING } from '../models/params';
import { coresPerChip } from '../targets/derive';
import { lowerBound } from './csr';
import type { ChipProjection, Emitted, IR, Lowered, Partitioned, Placed, QuantizedOrLater, Routed } from './ir';
import { sourcePlanes } from './limits';
import { destinations, sliceEnds, unitFanOut } from './runs';
import { exceeded, sliceUsage } from './usage';

const SHOWN = 6;

export function verify(ir: IR): void {
  const problems: string[] = [];
  const check = (ok: boolean, message: () => string) => {
    if (!ok) problems.push(message());
  };
  if (ir.stage === 'lowered') checkLowered(ir, check);
  else if (ir.stage === 'quantized') checkQuantized(ir, check);
  else if (ir.stage === 'partitioned') checkPartitioned(ir, check);
  else if (ir.stage === 'placed') checkPlaced(ir, check);
  else if (ir.stage === 'routed') checkRouted(ir, check);
  else checkEmitted(ir, check);
  if (problems.length)
    throw new Error(`compiler bug: after ${ir.stage} the map breaks ${problems.length} invariant(s): ${problems.slice(0, SHOWN).join('; ')}`);
}

type Check = (ok: boolean, message: () => string) => void;

const chipProjections = (ir: Lowered | QuantizedOrLater) => ir.projections.filter((p): p is ChipProjection => p.where === 'chip');

/** Rows well formed, and every entry equal to the model tensor's weight it stands for; non-zeros counted from the tensor. */
function checkLowered(ir: Lowered, check: Check): void {
  let base = 0;
  for (const pop of ir.populations) {
    check(pop.sourceBase === base, () => `${pop.name}: source ids start at ${pop.sourceBase}, expected ${base}`);
    base += pop.size;
  }
  for (const p of chipProjections(ir)) {
    const to = ir.populations[p.to];
    const { rowPtr, post, weight } = p.synapses;
    const W = ir.model.tensors[p.matrix];
    const nnz = W.reduce((n, w) => n + (w !== 0 ? 1 : 0), 0);
    check(rowPtr.length === p.inputs + 1 && rowPtr[p.inputs] === post.length && post.length === weight.length, () => `${p.name}: malformed rows`);
    check(post.length === nnz, () => `${p.name}: ${post.length} synapses, the model's ${p.matrix} has ${nnz} non-zero weights`);
    for (let j = 0; j < p.inputs; j++) {
      for (let q = rowPtr[j]; q < rowPtr[j + 1]; q++) {
        if (q > rowPtr[j] && post[q] <= post[q - 1]) return check(false, () => `${p.name}: row ${j} not increasing`);
        const expected = modelWeight(ir, p, W, j, post[q]);
        if (expected !== weight[q] || post[q] >= to.size * to.slots)
          return check(false, () => `${p.name}: row ${j} entry ${post[q]} holds ${weight[q]}, the model has ${expected}`);
      }
    }
  }
}

/** The model's weight from input j to accumulator `post` of a projection (NaN when no weight can go there). */
function modelWeight(ir: Lowered, p: ChipProjection, W: Float32Array, j: number, post: number): number {
  const to = ir.populations[p.to];
  if (to.kind === 'egru') {
    const H = to.size, k = Math.floor(post / 4), slot = post % 4;
    const recurrent = p.from === p.to;
    const gate = slot < 2 ? slot : slot === (recurrent ? 3 : 2) ? 2 : -1;
    return gate < 0 ? NaN : W[j * 3 * H + gate * H + k];
  }
  if (p.matrix === EMBEDDING) return W[post * ir.model.config.emb + j];
  return W[j * to.size + post];
}

function checkQuantized(ir: QuantizedOrLater, check: Check): void {
  const float = ir.ctx.resolved.arithmetic.numberFormat === 'float';
  for (const p of chipProjections(ir)) {
    const q = ir.weights[p.id];
    const w = p.synapses.weight;
    if (!q) return check(false, () => `${p.name}: no quantised weights`);
    check(q.values.length === w.length, () => `${p.name}: ${q.values.length} quantised weights for ${w.length} synapses`);
    const qmax = 2 ** (q.bits - 1) - 1;
    for (let i = 0; i < w.length; i++) {
      const ok = float ? q.values[i] === w[i] : Math.abs(q.values[i]) <= qmax && Math.abs(q.values[i] * q.scale - w[i]) <= q.scale * 0.5000001;
      if (!ok) return check(false, () => `${p.name}: weight ${i} (${w[i]}) stored as ${q.values[i]} × ${q.scale}`);
    }
  }
  for (const pop of ir.populations) {
    const n = ir.neurons[pop.id];
    if (pop.kind === 'egru') check(n.thr?.length === pop.size, () => `${pop.name}: thresholds missing`);
    if (pop.kind !== 'embedding') check(n.bias?.length === pop.size * pop.slots, () => `${pop.name}: biases missing`);
  }
}

/** Slices tile every chip population exactly; usage recounted from the runs fits every limit. */
function checkPartitioned(ir: Partitioned | Placed | Routed | Emitted, check: Check): void {
  for (const pop of ir.populations) {
    const mine = ir.slices.filter((s) => s.population === pop.id);
    if (pop.where === 'host') {
      check(mine.length === 0 && ir.unitSlice[pop.id].every((s) => s === -1), () => `${pop.name}: a host population has slices`);
      continue;
    }
    let next = 0;
    for (const s of mine) {
      check(s.start === next && s.end > s.start, () => `${pop.name}: slice ${s.id} covers ${s.start}–${s.end}, expected to start at ${next}`);
      next = s.end;
    }
    check(next === pop.size, () => `${pop.name}: slices cover ${next} of ${pop.size} units`);
    for (let k = 0; k < pop.size; k++) {
      const s = ir.slices[ir.unitSlice[pop.id][k]];
      if (!s || s.population !== pop.id || k < s.start || k >= s.end) return check(false, () => `${pop.name}: unit ${k} is not in its slice`);
    }
  }
  const limits = ir.ctx.resolved.limits;
  const planes = sourcePlanes(ir);
  const end = sliceEnds(ir.slices);
  const fanOut = unitFanOut(destinations(ir, ir.unitSlice, end), planes, limits.multicast);
  const usage = sliceUsage(ir, ir.slices, ir.unitSlice, end, fanOut, planes, limits);
  ir.slices.forEach((s, i) => {
    check(JSON.stringify(usage[i]) === JSON.stringify(s.usage), () => `slice ${i}: recorded usage ${JSON.stringify(s.usage)}, recounted ${JSON.stringify(usage[i])}`);
    for (const bad of exceeded(usage[i], limits)) check(false, () => `slice ${i}: ${bad.used} ${bad.limit}, limit ${bad.available}`);
  });
}

function checkPlaced(ir: Placed | Routed | Emitted, check: Check): void {
  const cores = ir.chips * coresPerChip(ir.ctx.target);
  const used = new Uint8Array(cores);
  check(ir.sliceCore.length === ir.slices.length, () => 'not every slice has a core');
  for (let s = 0; s < ir.sliceCore.length; s++) {
    const c = ir.sliceCore[s];
    check(c >= 0 && c < cores && used[c]++ === 0, () => `slice ${s} on core ${c}: outside the ${cores} cores or shared`);
  }
}

/** Routes reach exactly the cores holding a synapse from their source (and the host when due), as trees; tables within capacity. */
function checkRouted(ir: Routed | Emitted, check: Check): void {
  const { ptr, slice, toHost } = ir.destinations;
  const r = ir.routes;
  for (let i = 0; i < ir.sources; i++) {
    const want = Array.from(new Set(Array.from(slice.subarray(ptr[i], ptr[i + 1]), (s) => ir.sliceCore[s]))).sort((a, b) => a - b);
    const route = r.unitRoute[i];
    if (route < 0) {
      check(want.length === 0 && !toHost[i], () => `source ${i} has destinations but no route`);
      continue;
    }
    const got = Array.from(r.destCore.subarray(r.destPtr[route], r.destPtr[route + 1]));
    check(got.join() === want.join() && r.toHost[route] === toHost[i], () => `source ${i}: route reaches cores ${got.join(',')}, synapses are on ${want.join(',')}`);
  }
  const topo = ir.ctx.resolved.topology;
  const cells = topo.meshWidth * topo.meshHeight;
  const perChip = topo.coresPerChip;
  // Groups fill the mesh row by row, so a group's index on its chip is its router's index there.
  const routerOf = (core: number) => Math.floor(core / perChip) * cells + Math.floor((core % perChip) / topo.coresPerGroup);
  for (let q = 0; q < r.count; q++) {
    const tree = new Set([r.origin[q]]);
    for (let e = r.edgePtr[q]; e < r.edgePtr[q + 1]; e++) {
      check(tree.has(r.edgeFrom[e]) && !tree.has(r.edgeTo[e]), () => `route ${q}: edge ${r.edgeFrom[e]}→${r.edgeTo[e]} is not a tree edge`);
      tree.add(r.edgeTo[e]);
    }
    for (let d = r.destPtr[q]; d < r.destPtr[q + 1]; d++) check(tree.has(routerOf(r.destCore[d])), () => `route ${q} misses core ${r.destCore[d]}`);
    if (r.toHost[q]) check(tree.has(0), () => `route ${q} misses the host`);
  }
  // The target's capacity, not the one the route pass recorded: a pass must not set its own limit.
  const t = ir.tables, capacity = ir.ctx.resolved.limits.tableEntries;
  for (let i = 0; i < t.owner.length; i++) check(t.entries[i] <= capacity, () => `${t.scope} ${t.owner[i]}: ${t.entries[i]} routing entries, capacity ${capacity}`);
}

/** Every unit on one core with its parameters; every synapse in exactly one row per plane (each plane once), with its stored value. */
function checkEmitted(ir: Emitted, check: Check): void {
  check(ir.cores.length === ir.slices.length, () => `${ir.cores.length} core maps for ${ir.slices.length} slices`);
  const planes = sourcePlanes(ir);
  const popOf = new Int32Array(ir.sources);
  for (const p of ir.populations) popOf.fill(p.id, p.sourceBase, p.sourceBase + p.size);
  const seen = new Map(chipProjections(ir).map((p) => [p.id, new Uint8Array(p.synapses.post.length)]));
  const between = new Map(chipProjections(ir).map((p) => [`${p.from}>${p.to}`, p]));
  for (const c of ir.cores) {
    const s = ir.slices[c.slice];
    const pop = ir.populations[c.population];
    check(ir.sliceCore[c.slice] === c.core && s.start === c.unitStart && s.end === c.unitEnd, () => `core ${c.core} does not hold slice ${c.slice}`);
    const n = ir.neurons[pop.id];
    check(equal(c.thr, n.thr?.subarray(s.start, s.end)) && equal(c.bias, n.bias?.subarray(s.start * pop.slots, s.end * pop.slots)),
      () => `core ${c.core}: neuron parameters differ from ${pop.name}'s`);
    check(c.rowSource.length === s.usage.fanIn && c.post.length === s.usage.synapses, () => `core ${c.core}: rows or synapses differ from its usage`);
    const lo = s.start * pop.slots, hi = s.end * pop.slots;
    const axons = new Set<number>();
    for (let row = 0; row < c.rowSource.length; row++) {
      const src = c.rowSource[row];
      // Each (source, plane) row once, planes below the source's count: with the count per synapse below, every plane exactly once.
      const plane = c.rowPlane ? c.rowPlane[row] : 0;
      if (plane >= planes[src] || axons.has(src * 256 + plane))
        return check(false, () => `core ${c.core}: source ${src} has a row on plane ${plane} twice or on a plane beyond its ${planes[src]}`);
      axons.add(src * 256 + plane);
      const p = between.get(`${popOf[src]}>${pop.id}`);
      if (!p) return check(false, () => `core ${c.core}: row from source ${src}, which has no projection into ${pop.name}`);
      const j = src - ir.populations[p.from].sourceBase;
      const b = lowerBound(p.synapses, j, lo), e = lowerBound(p.synapses, j, hi);
      const values = ir.weights[p.id]!.values, marks = seen.get(p.id)!;
      const first = c.rowPtr[row], n = c.rowPtr[row + 1] - first;
      check(n === e - b, () => `core ${c.core}: row of source ${src} holds ${n} synapses, the slice has ${e - b}`);
      for (let k = 0; k < Math.min(n, e - b); k++) {
        const ok = c.post[first + k] + lo === p.synapses.post[b + k] && c.weight[first + k] === values[b + k];
        if (!ok) return check(false, () => `core ${c.core}: row of source ${src}, entry ${k} differs from ${p.name}`);
        marks[b + k]++;
      }
    }
  }
  for (const p of chipProjections(ir)) {
    const marks = seen.get(p.id)!;
    const base = ir.populations[p.from].sourceBase;
    for (let j = 0; j < p.inputs; j++)
      for (let q = p.synapses.rowPtr[j]; q < p.synapses.rowPtr[j + 1]; q++)
        if (marks[q] !== planes[base + j]) return check(false, () => `${p.name}: synapse ${q} stored ${marks[q]} times, expected ${planes[base + j]}`);
  }
}

function equal(a: ArrayLike<number> | null | undefined, b: ArrayLike<number> | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Pass 4, place: slices → physical cores (chip, x, y, core), minimising traffic × hop energy.
 *
 * Traffic between two slices is the expected events per step from one to the other (calibrated activity ×
 * axons per event), in both directions; the host is a fixed node at its attachment router. The cost of an
 * edge is its traffic times the energy of one packet along the dimension-order path (mesh hops by direction,
 * chip-to-chip hops, or a within-group delivery): the sum over destinations, an upper bound of what
 * multicast trees pay, since they share hops.
 *
 * Heuristic: greedy constructive placement, slices in pipeline order (layer by layer), each to the group
 * with a free core where its traffic to the slices already placed costs least (ties: lowest group); then
 * local improvement by pairwise swaps (and moves to free cores) that lower the total cost, repeated while a
 * pass improves, visiting slices in an order drawn from the seed. Cores within one group are equivalent
 * (same router), so the search runs over groups; a table of every slice's cost at every group keeps each
 * candidate swap O(1).
 */
import { UserError } from '../models/config';
import { Rng } from '../models/rng';
import { coresPerChip, maxChips } from '../targets/derive';
import { withNotes } from './diagnostics';
import { count, doesNotFit } from './fit';
import type { Partitioned, Placed } from './ir';
import { sourceActivity, sourcePlanes } from './limits';
import { geometry, type Geometry } from './mesh';

const MAX_PASSES = 8;

export function place(ir: Partitioned): Placed {
  const S = ir.slices.length;
  const perChip = coresPerChip(ir.ctx.target);
  const needed = Math.max(1, Math.ceil(S / perChip));
  const most = maxChips(ir.ctx.target);
  const asked = ir.ctx.options.chips;
  if (asked !== undefined && asked > most)
    throw new UserError(`--chips ${asked}: target ${ir.ctx.target.name} has at most ${count(most)} chips (boards × chips per board)`);
  if (needed > most || (asked !== undefined && needed > asked)) {
    const chips = asked ?? most;
    throw doesNotFit(ir.ctx, 'cores',
      `it needs ${count(S)} cores (${needed} chips of ${perChip}), ${chips === 1 ? '1 chip gives' : `${chips} chips give`} ${count(chips * perChip)}` +
        (needed > most ? ` and the target allows at most ${count(most)} chips` : ''),
      needed <= most ? [`--chips ${needed}`] : []);
  }
  const geo = geometry(ir.ctx, asked ?? needed);
  const graph = trafficGraph(ir);
  // Candidates: the chips the map needs and one spare, nearest the host (chip-major numbering). Farther chips
  // of a larger system only add hops, and the tables below grow with the square of the groups considered.
  const groups = Math.min(geo.chips, needed + 1) * ir.ctx.resolved.topology.groupsPerChip;
  // cost[s · groups + g]: what slice s's traffic to the placed slices (and the host) costs from group g.
  const cost = new Float64Array(S * groups);
  const groupX = new Int32Array(groups), groupY = new Int32Array(groups);
  for (let g = 0; g < groups; g++) (groupX[g] = geo.gx[g * geo.coresPerGroup]), (groupY[g] = geo.gy[g * geo.coresPerGroup]);
  // Hop energy between every pair of groups, looked up in the hot loops below (symmetric: row g is column g).
  const table = new Float64Array(groups * groups);
  for (let g = 0; g < groups; g++) for (let h = 0; h < groups; h++) table[g * groups + h] = geo.hopEnergy(groupX[g], groupY[g], groupX[h], groupY[h]);
  const energy = (g: number, h: number) => table[g * groups + h];
  const hostEnergy = (g: number) => geo.hopEnergy(groupX[g], groupY[g], geo.host.gx, geo.host.gy);
  for (let s = 0; s < S; s++) {
    const w = graph.host[s];
    if (w > 0) for (let g = 0; g < groups; g++) cost[s * groups + g] += w * hostEnergy(g);
  }
  const group = new Int32Array(S).fill(-1);
  const free = new Int32Array(groups).fill(geo.coresPerGroup);
  const settle = (s: number, g: number, sign: number) => {
    for (let q = graph.ptr[s]; q < graph.ptr[s + 1]; q++) {
      const n = graph.node[q], w = sign * graph.weight[q];
      const row = g * groups, at = n * groups;
      for (let h = 0; h < groups; h++) cost[at + h] += w * table[row + h];
    }
  };
  for (let s = 0; s < S; s++) {
    let best = -1;
    for (let g = 0; g < groups; g++) if (free[g] > 0 && (best < 0 || cost[s * groups + g] < cost[s * groups + best])) best = g;
    group[s] = best;
    free[best]--;
    settle(s, best, 1);
  }
  const initialCost = totalCost(graph, group, energy, hostEnergy);
  const swaps = improve(ir, graph, group, free, cost, groups, energy, settle, (1e-9 * initialCost) / S);
  const sliceCore = assignCores(group, geo);
  const finalCost = totalCost(graph, group, energy, hostEnergy);
  const placement = {
    heuristic: 'greedy constructive placement in pipeline order, then pairwise swaps (and moves to free cores) while they lower traffic × hop energy',
    initialCost, finalCost, swaps,
  };
  const next: Placed = { ...ir, stage: 'placed', chips: geo.chips, sliceCore, placement };
  return withNotes(next, [{
    pass: 'place', level: 'info',
    message: `${S} slices on ${geo.chips} chip${geo.chips > 1 ? 's' : ''}; traffic × hop energy ${initialCost.toExponential(3)} J/step after greedy, ${finalCost.toExponential(3)} after ${swaps} swaps`,
  }]);
}

interface TrafficGraph {
  /** Undirected slice adjacency (CSR) with expected packets per step in both directions. */
  ptr: Int32Array;
  node: Int32Array;
  weight: Float64Array;
  /** Expected packets per step between each slice and the host. */
  host: Float64Array;
}

function trafficGraph(ir: Partitioned): TrafficGraph {
  const S = ir.slices.length;
  const activity = sourceActivity(ir), planes = sourcePlanes(ir);
  const { ptr, slice, toHost } = ir.destinations;
  const pairs = new Map<number, number>();
  const host = new Float64Array(S);
  for (const pop of ir.populations) {
    for (let k = 0; k < pop.size; k++) {
      const i = pop.sourceBase + k;
      const w = activity[i] * planes[i];
      const from = pop.where === 'chip' ? ir.unitSlice[pop.id][k] : -1;
      for (let q = ptr[i]; q < ptr[i + 1]; q++) {
        const to = slice[q];
        if (from < 0) host[to] += w;
        else if (to !== from) {
          const key = Math.min(from, to) * S + Math.max(from, to);
          pairs.set(key, (pairs.get(key) ?? 0) + w);
        }
      }
      if (toHost[i] && from >= 0) host[from] += w;
    }
  }
  const degree = new Int32Array(S + 1);
  for (const key of pairs.keys()) degree[Math.floor(key / S) + 1]++, degree[(key % S) + 1]++;
  for (let s = 0; s < S; s++) degree[s + 1] += degree[s];
  const node = new Int32Array(degree[S]), weight = new Float64Array(degree[S]);
  const cursor = degree.slice(0, S);
  // Sorted keys: the adjacency order, and so every floating-point sum over it, does not depend on Map order.
  for (const key of [...pairs.keys()].sort((a, b) => a - b)) {
    const a = Math.floor(key / S), b = key % S, w = pairs.get(key)!;
    (node[cursor[a]] = b), (weight[cursor[a]++] = w);
    (node[cursor[b]] = a), (weight[cursor[b]++] = w);
  }
  return { ptr: degree, node, weight, host };
}

/** Σ over edges of traffic × hop energy, each edge once, host edges included. */
function totalCost(graph: TrafficGraph, group: Int32Array, energy: (g: number, h: number) => number, hostEnergy: (g: number) => number): number {
  let sum = 0;
  for (let s = 0; s < group.length; s++) {
    sum += graph.host[s] * hostEnergy(group[s]);
    for (let q = graph.ptr[s]; q < graph.ptr[s + 1]; q++) if (graph.node[q] > s) sum += graph.weight[q] * energy(group[s], group[graph.node[q]]);
  }
  return sum;
}

/** Pairwise swaps and moves to free cores while they lower the cost; returns how many were made. */
function improve(
  ir: Partitioned, graph: TrafficGraph, group: Int32Array, free: Int32Array, cost: Float64Array, groups: number,
  energy: (g: number, h: number) => number, settle: (s: number, g: number, sign: number) => void, epsilon: number,
): number {
  const S = group.length;
  const rng = new Rng(ir.ctx.options.seed);
  const order = Int32Array.from({ length: S }, (_, i) => i);
  const members: number[][] = Array.from({ length: groups }, () => []);
  for (let s = 0; s < S; s++) members[group[s]].push(s);
  const link = new Float64Array(S); // traffic between the slice being moved and each other slice
  let swaps = 0;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    for (let i = S - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    let improved = false;
    for (const a of order) {
      const ga = group[a];
      for (let q = graph.ptr[a]; q < graph.ptr[a + 1]; q++) link[graph.node[q]] = graph.weight[q];
      const here = cost[a * groups + ga];
      let bestDelta = 0, bestGroup = -1, bestSlice = -1;
      for (let g = 0; g < groups; g++) {
        if (g === ga) continue;
        const moveA = cost[a * groups + g] - here;
        if (free[g] > 0 && moveA < bestDelta) (bestDelta = moveA), (bestGroup = g), (bestSlice = -1);
        // Swapping keeps the a–b distance, which the table prices as a within-group delivery on both sides.
        const apart = energy(ga, g) - energy(g, g);
        for (const b of members[g]) {
          const delta = moveA + cost[b * groups + ga] - cost[b * groups + g] + 2 * link[b] * apart;
          if (delta < bestDelta) (bestDelta = delta), (bestGroup = g), (bestSlice = b);
        }
      }
      for (let q = graph.ptr[a]; q < graph.ptr[a + 1]; q++) link[graph.node[q]] = 0;
      if (bestGroup < 0 || bestDelta >= -epsilon) continue;
      moveTo(a, bestGroup);
      if (bestSlice >= 0) moveTo(bestSlice, ga);
      swaps++;
      improved = true;
    }
    if (!improved) break;
  }
  return swaps;

  function moveTo(s: number, g: number): void {
    const from = group[s];
    settle(s, from, -1);
    members[from].splice(members[from].indexOf(s), 1);
    free[from]++;
    group[s] = g;
    members[g].push(s);
    free[g]--;
    settle(s, g, 1);
  }
}

/** Each slice to a core of its group: slices of a group take its cores in slice order. */
function assignCores(group: Int32Array, geo: Geometry): Int32Array {
  let groups = 0;
  for (let s = 0; s < group.length; s++) groups = Math.max(groups, group[s] + 1);
  const next = new Int32Array(groups);
  const core = new Int32Array(group.length);
  for (let s = 0; s < group.length; s++) core[s] = group[s] * geo.coresPerGroup + next[group[s]]++;
  return core;
}

/**
 * The compiled map (*.nmap, compiler/nmap.ts) as the simulator's input: a field-by-field copy into SimMap,
 * plus what the host and the neurons need to compute the model for real (HostModel).
 *
 * - Same-step inputs: a population consumes in the same timestep the events of every population that
 *   projects into it, except its own (recurrent events arrive for the next step).
 * - Synapses: the map's one synapse table (rows by source, then core id) is the order the engine serves
 *   deliveries in, so it becomes SimMap.table as it is; the cores' own post/weight are read only if
 *   someone asks (a loaded map gathers them from the table then).
 * - Numbers: a stored weight is q · weight_scale of its projection and a threshold or bias q · state_scale
 *   of its population; the engine accumulates values, so integer maps are turned into those values here
 *   (power-of-two scales: exact). fp32 maps are shared as they are, never copied.
 * - Bit-plane maps (`--binary-encoding`): every row exists once per plane (row_plane) with the same stored
 *   weight, and the table orders rows by (source, plane, core id), i.e. by axon: the map's `planes` become
 *   SimMap.planes and each bit-plane population's encoding its `spikes`, which the engine sends one spike per
 *   set bit (engine.ts). The plane's factor 2^k travels with the spike, so weights become values as above.
 */
import { resolveTarget } from '../targets/resolve';
import type { EventEncoding } from '../compiler';
import { synapseRowStarts, type NmapBody, type NmapCore } from '../compiler/nmap';
import { UserError, type ModelConfig } from '../models/config';
import { coreLocation } from '../targets/derive';
import type { Target } from '../targets/schema';
import type { SimCore, SimMap, SimPopulation } from './map';

/** What the host holds and the neuron arithmetic needs besides the map. */
export interface HostModel {
  config: ModelConfig;
  vocab: string[];
  /** [V, E]: the host looks each token up and injects the row's non-zero values into layer 0. */
  embedding: Float32Array;
  /** Decoder (and projection) tensors when they run on the host (models/params.ts names); the decoder weight is absent when tied. */
  tensors: Record<string, Float32Array>;
  /** Per population (map order): how its events travel. */
  events: EventEncoding[];
}

export type { NmapBody };

export function simMapFromNmap(nmap: NmapBody, file = 'the map'): { map: SimMap; host: HostModel; target: Target } {
  const target = nmap.target;
  checkGeometry(nmap, file);
  const populations: SimPopulation[] = nmap.populations.map((p) => ({
    name: p.name, kind: p.kind, where: p.where, size: p.size, sourceBase: p.source_base, slots: p.slots,
    inputs: nmap.projections.filter((q) => q.to === p.id && q.from !== p.id).map((q) => q.from),
    ...(p.event.kind === 'planes' ? { spikes: { planes: p.event.planes, signed: p.event.signed, scale: p.event.scale } } : {}),
  }));
  const sources = populations.reduce((a, p) => a + p.size, 0);
  const float = nmap.compiler.number_format === 'float';
  const popOfSource = new Int32Array(sources);
  populations.forEach((p, i) => popOfSource.fill(i, p.sourceBase, p.sourceBase + p.size));
  const scaled = (c: NmapCore, at: Int32Array | null, w: NmapCore['weight'], out: Float32Array) => rowValues(nmap, c, at, w, out, popOfSource);
  const planes = nmap.compiler.encoding === 'bit-planes' ? nmap.compiler.planes : 1;
  const cores: SimCore[] = nmap.cores.map((c) => {
    if (!!c.row_plane !== (nmap.compiler.encoding === 'bit-planes')) throw new UserError(`${file} is malformed: core ${c.core} ${c.row_plane ? 'has' : 'lacks'} row planes, its encoding is ${nmap.compiler.encoding}`);
    const pop = nmap.populations[c.population];
    let weight: Float32Array | undefined;
    return {
      core: c.core, chip: c.chip, x: c.x, y: c.y, index: c.index, population: c.population, unitStart: c.unit_start, unitEnd: c.unit_end,
      thr: values(c.thr, pop.state_scale), bias: values(c.bias, pop.state_scale),
      rowSource: c.row_source, rowPlane: c.row_plane, rowPtr: c.row_ptr,
      get post() {
        return c.post;
      },
      get weight() {
        return (weight ??= float && c.weight instanceof Float32Array ? c.weight : scaled(c, null, c.weight, new Float32Array(c.weight.length)));
      },
    };
  });
  const table = nmap.synapses;
  let tableWeight: Float32Array;
  if (float && table.weight instanceof Float32Array) tableWeight = table.weight;
  else {
    const starts = synapseRowStarts(nmap);
    tableWeight = new Float32Array(table.weight.length);
    nmap.cores.forEach((c, i) => scaled(c, starts[i], table.weight, tableWeight));
  }
  const r = nmap.routes;
  const map: SimMap = {
    target: target.name, arith: nmap.compiler.arithmetic, chips: nmap.compiler.chips, populations, sources, planes, cores,
    table: { post: table.post, weight: tableWeight },
    routes: {
      count: r.count, origin: r.origin, edgePtr: r.edge_ptr, edgeFrom: r.edge_from, edgeTo: r.edge_to,
      destPtr: r.dest_ptr, destCore: r.dest_core, toHost: r.to_host, unitRoute: r.unit_route,
    },
  };
  const host: HostModel = {
    config: nmap.model.config, vocab: nmap.model.vocab, embedding: nmap.host.embedding, tensors: nmap.host.tensors,
    events: nmap.populations.map((p) => p.event),
  };
  return { map, host, target };
}

/** Threshold or bias values: q · scale (float maps: the stored floats). */
function values(q: Float32Array | Int32Array | null, scale: number): Float32Array | null {
  if (q === null) return null;
  if (q instanceof Float32Array && scale === 1) return q;
  return Float32Array.from(q, (v) => v * scale);
}

/**
 * A core's stored weights w as values into `out`: each row's projection (its source's population → the
 * core's) gives the scale. Row r sits at at[r] in w and out (null: at row_ptr[r], the core's own arrays).
 */
function rowValues(nmap: NmapBody, c: NmapCore, at: Int32Array | null, w: ArrayLike<number>, out: Float32Array, popOfSource: Int32Array): Float32Array {
  const scaleFrom = new Float64Array(nmap.populations.length);
  for (const p of nmap.projections) if (p.to === c.population) scaleFrom[p.from] = p.weight_scale;
  const { row_source: rowSource, row_ptr: rowPtr } = c;
  for (let row = 0; row < rowSource.length; row++) {
    const scale = scaleFrom[popOfSource[rowSource[row]]];
    const first = at ? at[row] : rowPtr[row];
    for (let k = first, end = first + rowPtr[row + 1] - rowPtr[row]; k < end; k++) out[k] = w[k] * scale;
  }
  return out;
}

/** A map whose geometry disagrees with its own target description cannot be simulated on it. */
function checkGeometry(nmap: NmapBody, file: string): void {
  const t = nmap.target, m = nmap.mesh;
  const { topology: topo, limits } = resolveTarget(t);
  const bad = (what: string) => new UserError(`${file} does not match its target ${t.name}: ${what}`);
  if (m.width !== topo.meshWidth || m.height !== topo.meshHeight || m.cores_per_chip !== topo.coresPerChip)
    throw bad(`mesh ${m.width}×${m.height} with ${m.cores_per_chip} cores per chip, the target has ${topo.meshWidth}×${topo.meshHeight} with ${topo.coresPerChip}`);
  if (!t.arithmetic[nmap.compiler.arithmetic]) throw bad(`no arithmetic ${nmap.compiler.arithmetic}`);
  for (const c of nmap.cores) {
    const at = coreLocation(t, c.core);
    if (at.chip !== c.chip || at.x !== c.x || at.y !== c.y || at.core !== c.index)
      throw bad(`core ${c.core} is recorded at chip ${c.chip} (${c.x}, ${c.y}) #${c.index}, the target puts it at chip ${at.chip} (${at.x}, ${at.y}) #${at.core}`);
    if (c.chip >= nmap.compiler.chips) throw bad(`core ${c.core} is on chip ${c.chip}, beyond the map's ${nmap.compiler.chips} chips`);
    if (c.unit_end - c.unit_start > limits.neurons) throw bad(`core ${c.core} holds ${c.unit_end - c.unit_start} units, a core holds ${limits.neurons}`);
  }
}

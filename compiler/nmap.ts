/**
 * The compiled map file (*.nmap): one msgpack record in the shared container (models/container.ts),
 * format 'neuromap-nmap', version 1. Keys are snake_case; big tables are typed arrays. It holds all a
 * simulator needs to run the model for real on the target:
 *   compiler   how it was compiled (arithmetic, event encoding, strategy, decoder, seed, chips)
 *   target     the full validated target description (costs, topology) it was compiled for
 *   model      config and vocabulary; host: the embedding (looked up on the host; its values are the
 *              events injected into layer 0) and, with the decoder on the host, the decoder/projection tensors
 *   mesh       grid geometry: router id = chip · width · height + y · width + x; the host sits at router 0
 *   populations  units, accumulator slots, global source ids, event encoding and scale, state scale,
 *              activity, and the core of each slice
 *   projections  which population feeds which, synapse count, weight bits and scale
 *   cores      one map per core (see emit.ts): placement, neuron parameters, CSR synapse table
 *   routes     multicast trees per source (unit_route maps every global source id to its route)
 *   tables     routing tables at the target's scope
 *   quantization, placement, summary, diagnostics
 * No timestamps or paths: the same model, target, options and seed give the same bytes.
 */
import { version as NEUROMAP_VERSION } from '../package.json';
import { UserError, type ModelConfig } from '../models/config';
import { checkHeader, openContainer, writeContainer, type ContainerKind, type ContainerRecord } from '../models/container';
import { validateTarget } from '../targets/load';
import type { Target } from '../targets/schema';
import type { Emitted, EventEncoding, NeuronValues, WeightValues } from './ir';
import { summarize, type Summary } from './summary';

export const NMAP_FORMAT = 'neuromap-nmap';
export const NMAP_VERSION = 1;
export const NMAP_KIND: ContainerKind = { format: NMAP_FORMAT, version: NMAP_VERSION, noun: 'compiled map (*.nmap)' };

export interface NmapCore {
  core: number;
  chip: number;
  x: number;
  y: number;
  index: number;
  router: number;
  population: number;
  unit_start: number;
  unit_end: number;
  thr: NeuronValues | null;
  bias: NeuronValues | null;
  row_source: Int32Array;
  row_plane: Uint8Array | null;
  row_ptr: Int32Array;
  post: Uint8Array | Uint16Array | Uint32Array;
  weight: WeightValues;
  memory_bytes: number;
  fan_in: number;
  fan_out: number;
  routing_entries: number;
}

export interface NmapPopulation {
  id: number;
  name: string;
  kind: 'embedding' | 'egru' | 'relu' | 'linear';
  where: 'host' | 'chip';
  size: number;
  slots: number;
  layer: number | null;
  source_base: number;
  event: EventEncoding;
  state_scale: number;
  activity: Float32Array;
  /** Slice s holds units slice_start[s] … slice_start[s+1]−1 on core slice_core[s]. */
  slice_start: Int32Array;
  slice_core: Int32Array;
}

export interface CompiledMap {
  format: string;
  version: number;
  compiler: {
    neuromap_version: string; arithmetic: string; number_format: 'float' | 'int'; encoding: 'native' | 'bit-planes'; planes: number;
    strategy: string; decoder: string; seed: number; chips: number; calibrated: boolean;
  };
  target: Target;
  model: { name: string; config: ModelConfig; vocab: string[] };
  host: { router: number; chip: number; x: number; y: number; embedding: Float32Array; tensors: Record<string, Float32Array> };
  mesh: { width: number; height: number; groups_per_chip: number; cores_per_group: number; cores_per_chip: number; chips: number };
  populations: NmapPopulation[];
  projections: { id: number; name: string; from: number; to: number; where: 'host' | 'chip'; matrix: string; inputs: number; synapses: number; weight_bits: number; weight_scale: number }[];
  cores: NmapCore[];
  routes: {
    count: number; source: Int32Array; dest_ptr: Int32Array; dest_core: Int32Array; to_host: Uint8Array; origin: Int32Array;
    edge_ptr: Int32Array; edge_from: Int32Array; edge_to: Int32Array; edge_link: Uint8Array; unit_route: Int32Array;
  };
  tables: {
    scope: 'core' | 'group' | 'chip'; capacity: number; owner: Int32Array; entries: Int32Array; entry_ptr: Int32Array;
    entry_source: Int32Array; entry_links: Uint8Array; delivery_ptr: Int32Array; delivery_core: Int32Array;
  };
  summary: Summary;
  diagnostics: string[];
}

/** The record body of a compiled map, in a fixed key order. */
export function nmapBody(ir: Emitted, summary: Summary = summarize(ir)): Omit<CompiledMap, 'format' | 'version'> {
  const t = ir.ctx.target.topology;
  const { routes: r, tables: tb } = ir;
  const popSlices = (id: number) => ir.slices.filter((s) => s.population === id);
  return {
    compiler: {
      neuromap_version: NEUROMAP_VERSION, arithmetic: ir.ctx.arithName, number_format: ir.ctx.arith.number_format, encoding: ir.ctx.encoding,
      planes: ir.ctx.planes, strategy: ir.ctx.options.strategy, decoder: ir.ctx.options.decoder, seed: ir.ctx.options.seed, chips: ir.chips,
      calibrated: ir.calibrated,
    },
    target: ir.ctx.target,
    model: { name: ir.model.name, config: ir.model.config, vocab: ir.model.vocab },
    host: { router: 0, chip: 0, x: 0, y: 0, embedding: ir.model.embedding, tensors: ir.model.host },
    mesh: {
      width: t.mesh_width.value, height: t.mesh_height.value, groups_per_chip: t.groups_per_chip.value, cores_per_group: t.cores_per_group.value,
      cores_per_chip: t.groups_per_chip.value * t.cores_per_group.value, chips: ir.chips,
    },
    populations: ir.populations.map((p) => ({
      id: p.id, name: p.name, kind: p.kind, where: p.where, size: p.size, slots: p.slots, layer: p.kind === 'egru' ? p.layer : null,
      source_base: p.sourceBase, event: ir.neurons[p.id].event, state_scale: ir.neurons[p.id].stateScale, activity: p.activity,
      slice_start: Int32Array.from(popSlices(p.id), (s) => s.start), slice_core: Int32Array.from(popSlices(p.id), (s) => ir.sliceCore[s.id]),
    })),
    projections: ir.projections.map((p) => {
      const q = ir.weights[p.id];
      return {
        id: p.id, name: p.name, from: p.from, to: p.to, where: p.where, matrix: p.matrix, inputs: p.inputs,
        synapses: p.where === 'chip' ? p.synapses.post.length : 0, weight_bits: q?.bits ?? 32, weight_scale: q?.scale ?? 1,
      };
    }),
    cores: ir.cores.map((c) => ({
      core: c.core, chip: c.chip, x: c.x, y: c.y, index: c.index, router: c.chip * t.mesh_width.value * t.mesh_height.value + c.y * t.mesh_width.value + c.x,
      population: c.population, unit_start: c.unitStart, unit_end: c.unitEnd, thr: c.thr, bias: c.bias,
      row_source: c.rowSource, row_plane: c.rowPlane, row_ptr: c.rowPtr, post: c.post, weight: c.weight,
      memory_bytes: c.usage.memoryBytes, fan_in: c.usage.fanIn, fan_out: c.usage.fanOut, routing_entries: c.routingEntries,
    })),
    routes: {
      count: r.count, source: r.source, dest_ptr: r.destPtr, dest_core: r.destCore, to_host: r.toHost, origin: r.origin,
      edge_ptr: r.edgePtr, edge_from: r.edgeFrom, edge_to: r.edgeTo, edge_link: r.edgeLink, unit_route: r.unitRoute,
    },
    tables: {
      scope: tb.scope, capacity: tb.capacity, owner: tb.owner, entries: tb.entries, entry_ptr: tb.entryPtr, entry_source: tb.entrySource,
      entry_links: tb.entryLinks, delivery_ptr: tb.deliveryPtr, delivery_core: tb.deliveryCore,
    },
    summary,
    diagnostics: summary.diagnostics,
  };
}

export function saveNmap(file: string, ir: Emitted, summary?: Summary): void {
  writeContainer(file, NMAP_KIND, nmapBody(ir, summary) as unknown as Record<string, unknown>);
}

export function loadNmap(file: string): CompiledMap {
  return nmapFromRecord(openContainer(file, NMAP_KIND), file);
}

/** Checks a decoded record: the sections, the target, and every core's table arrays and their sizes. */
export function nmapFromRecord(record: ContainerRecord, file: string): CompiledMap {
  checkHeader(record, file, NMAP_KIND);
  const bad = (what: string) => new UserError(`${file} is not a valid compiled map: ${what}`);
  const sections = ['compiler', 'target', 'model', 'host', 'mesh', 'populations', 'projections', 'cores', 'routes', 'tables', 'summary'];
  const missing = sections.filter((k) => record[k] === undefined || record[k] === null);
  if (missing.length) throw bad(`missing ${missing.join(', ')}`);
  const map = record as unknown as CompiledMap;
  map.target = validateTarget(record.target, `${file} (its target)`);
  if (!Array.isArray(map.cores) || !Array.isArray(map.populations)) throw bad('cores and populations must be lists');
  map.cores.forEach((c, i) => {
    const ok =
      c.row_source instanceof Int32Array && c.row_ptr instanceof Int32Array && c.row_ptr.length === c.row_source.length + 1 &&
      ArrayBuffer.isView(c.post) && ArrayBuffer.isView(c.weight) && c.post.length === c.weight.length &&
      c.row_ptr[c.row_ptr.length - 1] === c.post.length;
    if (!ok) throw bad(`core map ${i} (core ${c.core}) has a malformed synapse table`);
  });
  return map;
}

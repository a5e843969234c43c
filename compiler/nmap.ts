/**
 * The compiled map file (*.nmap), format 'neuromap-nmap', version 3 (2 still loads, without a checksum). Keys are snake_case. It holds all a
 * simulator needs to run the model for real on the target:
 *   compiler   how it was compiled (arithmetic, event encoding, strategy, decoder, seed, chips)
 *   target     the full validated target description (costs, topology) it was compiled for
 *   model      config and vocabulary; host: the embedding (looked up on the host; its values are the
 *              events injected into layer 0) and, with the decoder on the host, the decoder/projection tensors
 *   mesh       grid geometry: router id = chip · width · height + y · width + x; the host sits at router 0
 *   populations  units, accumulator slots, global source ids, event encoding and scale, state scale,
 *              activity, and the core of each slice
 *   projections  which population feeds which, synapse count, weight bits and scale
 *   cores      one map per core (see emit.ts): placement, neuron parameters, its synapse rows (CSR by source)
 *   synapses   the entries of every core's rows in one table, rows ordered by (source, plane, core id): the
 *              order in which a simulator serves a source's deliveries (its route lists cores by id), so a
 *              simulator uses the table as it is read
 *   routes     multicast trees per source (unit_route maps every global source id to its route)
 *   tables     routing tables at the target's scope
 *   quantization, placement, summary, diagnostics
 *
 * Layout: one msgpack map in the shared container's shape (models/container.ts: `format` and `version`
 * first), readable by any msgpack library, whose typed arrays are not inline: each is a reference
 * { typed: 'Float32Array', offset, length } into the map's last field, `blob`, one bin of raw little-endian
 * arrays, each at an 8-byte-aligned offset, the blob itself 64-byte-aligned in the file (a `pad` field before
 * it), then `checksum` (format/checksum.ts) after the blob. Loading reads the file once and views every array in place: no copy, no allocation per array. On disk
 * a core has no entries of its own; a loaded core's `post` and `weight` are gathered from `synapses` when
 * first read. No timestamps or paths: the same model, target, options and seed give the same bytes.
 * Version 1 (every array inline, per-core entries) is refused with a request to compile again.
 */
import { version as NEUROMAP_VERSION } from '../package.json';
import { UserError, type ModelConfig } from '../models/config';
import { Packr } from 'msgpackr';
import { writeFileAtomic } from '../models/atomic';
import { checkHeader, isPlainObject, openContainer, type ContainerKind, type ContainerRecord } from '../models/container';
import { validateTarget } from '../targets/load';
import type { Target } from '../targets/schema';
import type { Emitted, EventEncoding, NeuronValues, WeightValues } from './ir';
import { summarize, type Summary } from './summary';
import { checkNmapStructure } from './nmap-check';
import { checksumTail, sealChecksum } from '../format/checksum';

export const NMAP_FORMAT = 'neuromap-nmap';
// Version 3 ends with a checksum after the blob (format/checksum.ts); version 2 (no checksum) still loads, unchecked.
export const NMAP_VERSION = 3;
export const NMAP_KIND: ContainerKind = { format: NMAP_FORMAT, version: NMAP_VERSION, noun: 'compiled map (*.nmap)', checksumSince: 3 };
/** The oldest version this build reads (version 1 held every array inline). */
const OLDEST_READ = 2;

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
  /** Entries rowPtr[i] … rowPtr[i+1]−1; not in the file (see `synapses`): a loaded map gathers them on first use. */
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

/**
 * Every core's synapse rows in one table, ordered by (source, plane, core id); `post` in the narrowest type
 * that holds its largest local index. synapseRowStarts() says where each core's rows are.
 */
export interface NmapSynapses {
  post: Uint8Array | Uint16Array | Uint32Array;
  weight: WeightValues;
}

export interface CompiledMap {
  format: string;
  version: number;
  compiler: {
    neuromap_version: string; arithmetic: string; number_format: 'float' | 'int'; encoding: 'native' | 'bit-planes'; planes: number;
    strategy: string; decoder: string; seed: number; chips: number; calibrated: boolean;
    /** The --cores balance spread the map over; null without it; absent from maps written before 2026-12-04. */
    cores?: number | null;
  };
  target: Target;
  model: { name: string; config: ModelConfig; vocab: string[] };
  host: { router: number; chip: number; x: number; y: number; embedding: Float32Array; tensors: Record<string, Float32Array> };
  mesh: { width: number; height: number; groups_per_chip: number; cores_per_group: number; cores_per_chip: number; chips: number };
  populations: NmapPopulation[];
  projections: { id: number; name: string; from: number; to: number; where: 'host' | 'chip'; matrix: string; inputs: number; synapses: number; weight_bits: number; weight_scale: number }[];
  cores: NmapCore[];
  synapses: NmapSynapses;
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

export type NmapBody = Omit<CompiledMap, 'format' | 'version'>;

/** The record body of a compiled map, in a fixed key order. */
export function nmapBody(ir: Emitted, summary: Summary = summarize(ir)): NmapBody {
  const t = ir.ctx.resolved.topology;
  const { routes: r, tables: tb } = ir;
  const popSlices = (id: number) => ir.slices.filter((s) => s.population === id);
  const cores: NmapCore[] = ir.cores.map((c) => ({
    core: c.core, chip: c.chip, x: c.x, y: c.y, index: c.index, router: c.chip * t.meshWidth * t.meshHeight + c.y * t.meshWidth + c.x,
    population: c.population, unit_start: c.unitStart, unit_end: c.unitEnd, thr: c.thr, bias: c.bias,
    row_source: c.rowSource, row_plane: c.rowPlane, row_ptr: c.rowPtr, post: c.post, weight: c.weight,
    memory_bytes: c.usage.memoryBytes, fan_in: c.usage.fanIn, fan_out: c.usage.fanOut, routing_entries: c.routingEntries,
  }));
  const sources = ir.populations.reduce((a, p) => a + p.size, 0);
  return {
    compiler: {
      neuromap_version: NEUROMAP_VERSION, arithmetic: ir.ctx.arithName, number_format: ir.ctx.resolved.arithmetic.numberFormat, encoding: ir.ctx.encoding,
      planes: ir.ctx.planes, strategy: ir.ctx.options.strategy, decoder: ir.ctx.options.decoder, seed: ir.ctx.options.seed, chips: ir.chips,
      calibrated: ir.calibrated, cores: ir.ctx.options.cores ?? null,
    },
    target: ir.ctx.target,
    model: { name: ir.model.name, config: ir.model.config, vocab: ir.model.vocab },
    host: { router: 0, chip: 0, x: 0, y: 0, embedding: ir.model.embedding, tensors: ir.model.host },
    mesh: {
      width: t.meshWidth, height: t.meshHeight, groups_per_chip: t.groupsPerChip, cores_per_group: t.coresPerGroup,
      cores_per_chip: t.coresPerChip, chips: ir.chips,
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
    cores,
    synapses: synapseTable(cores, sources, ir.ctx.planes),
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


// ---- the synapse table ------------------------------------------------------------------------------------

type CoreRows = Pick<NmapCore, 'core' | 'row_source' | 'row_plane' | 'row_ptr'>;
type Entries = NmapCore['post'] | WeightValues;

/**
 * Where each core's rows (cores as listed) start in a table that orders rows by (source, plane, core id):
 * count the entries per (source, plane), then hand out places core by core in increasing id.
 */
function rowStarts(cores: readonly CoreRows[], sources: number, planes: number): Int32Array[] {
  const next = new Int32Array(sources * planes + 1);
  for (const c of cores)
    for (let r = 0; r < c.row_source.length; r++) next[c.row_source[r] * planes + (c.row_plane ? c.row_plane[r] : 0) + 1] += c.row_ptr[r + 1] - c.row_ptr[r];
  for (let k = 1; k < next.length; k++) next[k] += next[k - 1];
  const starts = cores.map((c) => new Int32Array(c.row_source.length));
  const byId = cores.map((_, i) => i).sort((a, b) => cores[a].core - cores[b].core);
  for (const i of byId) {
    const c = cores[i], at = starts[i];
    for (let r = 0; r < c.row_source.length; r++) {
      const key = c.row_source[r] * planes + (c.row_plane ? c.row_plane[r] : 0);
      at[r] = next[key];
      next[key] += c.row_ptr[r + 1] - c.row_ptr[r];
    }
  }
  return starts;
}

const startsCache = new WeakMap<NmapSynapses, Int32Array[]>();

/** Offset in `map.synapses` of every row of every core (cores as listed), computed once per map. */
export function synapseRowStarts(map: Pick<NmapBody, 'cores' | 'populations' | 'compiler' | 'synapses'>): Int32Array[] {
  let starts = startsCache.get(map.synapses);
  if (!starts) {
    starts = rowStarts(map.cores, map.populations.reduce((a, p) => a + p.size, 0), Math.max(1, map.compiler.planes));
    startsCache.set(map.synapses, starts);
  }
  return starts;
}

/** Copies a core's rows between its own arrays (CSR by rowPtr) and a table (row r at at[r]). */
function copyRows(rowPtr: Int32Array, at: Int32Array, own: Entries, table: Entries, toTable: boolean): void {
  for (let r = 0; r + 1 < rowPtr.length; r++) {
    const n = rowPtr[r + 1] - rowPtr[r];
    let i = rowPtr[r], j = at[r];
    if (toTable) for (const end = j + n; j < end; i++, j++) table[j] = own[i];
    else for (const end = i + n; i < end; i++, j++) own[i] = table[j];
  }
}

type ArrayOf<T> = new (length: number) => T;

function synapseTable(cores: readonly NmapCore[], sources: number, planes: number): NmapSynapses {
  const entries = cores.reduce((a, c) => a + c.post.length, 0);
  const used = cores.filter((c) => c.post.length > 0);
  let largest = 0;
  for (const { post } of used) for (let k = 0; k < post.length; k++) if (post[k] > largest) largest = post[k];
  const postType = largest < 256 ? Uint8Array : largest < 65536 ? Uint16Array : Uint32Array;
  const weightType = (used[0]?.weight ?? new Float32Array(0)).constructor as ArrayOf<WeightValues>;
  if (used.some((c) => c.weight.constructor !== weightType)) throw new Error('the cores store their weights in different number types');
  const post = new postType(entries), weight = new weightType(entries);
  const starts = rowStarts(cores, sources, planes);
  cores.forEach((c, i) => {
    copyRows(c.row_ptr, starts[i], c.post, post, true);
    copyRows(c.row_ptr, starts[i], c.weight, weight, true);
  });
  return { post, weight };
}

/** Gives a loaded core `post` and `weight`, gathered from the map's table the first time either is read. */
function gatherOnUse(map: CompiledMap, i: number): void {
  const c = map.cores[i];
  const keys = ['post', 'weight'] as const;
  const own = (key: (typeof keys)[number], value: unknown) => Object.defineProperty(c, key, { value, writable: true, enumerable: true, configurable: true });
  const gather = () => {
    const at = synapseRowStarts(map)[i], n = c.row_ptr[c.row_ptr.length - 1];
    const { post, weight } = map.synapses;
    const gathered = { post: new (post.constructor as ArrayOf<NmapCore['post']>)(n), weight: new (weight.constructor as ArrayOf<WeightValues>)(n) };
    copyRows(c.row_ptr, at, gathered.post, post, false);
    copyRows(c.row_ptr, at, gathered.weight, weight, false);
    for (const key of keys) if (Object.getOwnPropertyDescriptor(c, key)?.get) own(key, gathered[key]); // unless assigned meanwhile
  };
  for (const key of keys) Object.defineProperty(c, key, { enumerable: true, configurable: true, get: () => (gather(), c[key]), set: (value) => own(key, value) });
}

// ---- the file ---------------------------------------------------------------------------------------------

const ARRAYS = { Int8Array, Uint8Array, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array };
type ArrayName = keyof typeof ARRAYS;
interface BlobRef { typed: ArrayName; offset: number; length: number }
const ALIGN = 8, BLOB_ALIGN = 64;
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

function requireLittleEndian(file: string): void {
  if (!LITTLE_ENDIAN) throw new UserError(`${file}: compiled maps store little-endian arrays and this machine is big-endian`);
}

// As models/container.ts packs: useRecords: false keeps the file plain msgpack, readable by any msgpack library.
const packr = new Packr({ moreTypes: true, useRecords: false });

/** The bytes of a map file (see the top of this file). */
export function packNmap(body: NmapBody): Buffer {
  requireLittleEndian('packNmap');
  const arrays: ArrayBufferView[] = [];
  let size = 0;
  const stow = (value: unknown): unknown => {
    if (ArrayBuffer.isView(value)) {
      const typed = value.constructor.name;
      if (!(typed in ARRAYS)) throw new Error(`a compiled map cannot hold a ${typed}`);
      const ref: BlobRef = { typed: typed as ArrayName, offset: size, length: value.byteLength / (value as Uint8Array).BYTES_PER_ELEMENT };
      arrays.push(value);
      size += Math.ceil(value.byteLength / ALIGN) * ALIGN;
      return ref;
    }
    if (Array.isArray(value)) return value.map(stow);
    if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stow(v)]));
    return value;
  };
  const fields: [string, unknown][] = [['format', NMAP_FORMAT], ['version', NMAP_VERSION]];
  for (const [key, value] of Object.entries(body))
    fields.push([key, stow(key === 'cores' ? body.cores.map(({ post: _post, weight: _weight, ...core }) => core) : value)]);
  const count = fields.length + 3; // and `pad`, `blob`, `checksum`
  const head: Uint8Array[] = [count < 16 ? Uint8Array.of(0x80 | count) : Uint8Array.of(0xde, count >> 8, count & 0xff)];
  for (const [key, value] of fields) head.push(Uint8Array.from(packr.pack(key)), Uint8Array.from(packr.pack(value)));
  // Then `pad` (a bin8 of zeros) and `blob` (a bin32), the padding chosen so that the blob's bytes start aligned.
  const padKey = packr.pack('pad'), blobKey = packr.pack('blob');
  const before = head.reduce((a, h) => a + h.length, 0) + padKey.length + 2 + blobKey.length + 5;
  const pad = (BLOB_ALIGN - (before % BLOB_ALIGN)) % BLOB_ALIGN;
  const tail = checksumTail();
  const out = Buffer.alloc(before + pad + size + tail.length);
  let at = 0;
  const put = (bytes: Uint8Array) => (out.set(bytes, at), (at += bytes.length));
  head.forEach(put);
  put(padKey), put(Uint8Array.of(0xc4, pad)), (at += pad), put(blobKey), put(Uint8Array.of(0xc6)), (at = out.writeUInt32BE(size, at));
  let offset = 0;
  for (const a of arrays) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at + offset);
    offset += Math.ceil(a.byteLength / ALIGN) * ALIGN;
  }
  out.set(tail, at + size);
  sealChecksum(out);
  return out;
}

export function saveNmap(file: string, ir: Emitted, summary?: Summary): void {
  writeFileAtomic(file, packNmap(nmapBody(ir, summary)));
}

export function loadNmap(file: string): CompiledMap {
  return nmapFromRecord(openContainer(file, NMAP_KIND), file);
}

/** Replaces every blob reference in a decoded record by a view of the blob (in place). */
function viewArrays(record: ContainerRecord, file: string): void {
  const bad = (what: string) => new UserError(`${file} is not a valid compiled map: ${what}`);
  const blob = record.blob;
  if (!ArrayBuffer.isView(blob) || (blob as Uint8Array).BYTES_PER_ELEMENT !== 1) throw bad('missing its array blob');
  let bytes = new Uint8Array(blob.buffer as ArrayBuffer, blob.byteOffset, blob.byteLength);
  if (bytes.byteOffset % ALIGN !== 0) bytes = Uint8Array.from(bytes); // only a small file read into a shared pool
  const view = (ref: BlobRef): ArrayBufferView => {
    const Type = Object.hasOwn(ARRAYS, ref.typed) ? ARRAYS[ref.typed] : undefined;
    const ok = Type !== undefined && Number.isInteger(ref.offset) && Number.isInteger(ref.length) && ref.offset >= 0 && ref.length >= 0 &&
      ref.offset % ALIGN === 0 && ref.offset + ref.length * Type.BYTES_PER_ELEMENT <= bytes.length;
    if (!ok) throw bad(`an array reference (${JSON.stringify(ref)}) is outside its blob`);
    return new Type!(bytes.buffer, bytes.byteOffset + ref.offset, ref.length);
  };
  const isRef = (v: unknown): v is BlobRef =>
    typeof v === 'object' && v !== null && typeof (v as BlobRef).typed === 'string' && Object.keys(v).length === 3;
  const walk = (value: unknown): void => {
    if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return;
    const items = value as Record<string, unknown>;
    for (const key of Object.keys(items)) {
      const item = items[key];
      if (isRef(item)) items[key] = view(item);
      else if (typeof item === 'object') walk(item);
    }
  };
  delete record.blob;
  delete record.pad;
  walk(record);
}

const LIST_SECTIONS = ['populations', 'projections', 'cores'];

/** Checks a decoded record: the sections, the target, and every core's rows against the synapse table. */
export function nmapFromRecord(record: ContainerRecord, file: string): CompiledMap {
  checkHeader(record, file, NMAP_KIND);
  if (record.version < OLDEST_READ)
    throw new UserError(`${file} is a compiled map in format version ${record.version}, which this neuromap no longer reads (it reads ${OLDEST_READ}–${NMAP_VERSION}): compile the model again`);
  requireLittleEndian(file);
  viewArrays(record, file);
  const bad = (what: string) => new UserError(`${file} is not a valid compiled map: ${what}`);
  const sections = ['compiler', 'target', 'model', 'host', 'mesh', 'populations', 'projections', 'cores', 'synapses', 'routes', 'tables', 'summary'];
  const missing = sections.filter((k) => record[k] === undefined || record[k] === null);
  if (missing.length) throw bad(`missing ${missing.join(', ')}`);
  // Shapes before contents, so that a hostile file is refused in one line rather than by a TypeError deeper in.
  for (const k of sections) {
    const list = LIST_SECTIONS.includes(k);
    if (list ? !(Array.isArray(record[k]) && (record[k] as unknown[]).every(isPlainObject)) : !isPlainObject(record[k]))
      throw bad(`its ${k} must be ${list ? 'a list of maps' : 'a map'}`);
  }
  if (!isPlainObject((record.model as Record<string, unknown>).config)) throw bad('its model has no config map');
  const map = record as unknown as CompiledMap;
  map.target = validateTarget(record.target, `${file} (its target)`);
  const { post, weight } = map.synapses;
  if (!ArrayBuffer.isView(post) || !ArrayBuffer.isView(weight) || post.length !== weight.length) throw bad('its synapse table is malformed');
  const sources = map.populations.reduce((a, p) => a + p.size, 0), planes = Math.max(1, map.compiler.planes);
  let entries = 0;
  map.cores.forEach((c, i) => {
    if (!rowsWellFormed(c, sources, planes)) throw bad(`core map ${i} (core ${c.core}) has malformed synapse rows`);
    entries += c.row_ptr[c.row_ptr.length - 1];
    gatherOnUse(map, i);
  });
  if (entries !== post.length) throw bad(`its cores' rows hold ${entries} synapses, its synapse table ${post.length}`);
  checkNmapStructure(map, file, () => synapseRowStarts(map));
  return map;
}

function rowsWellFormed(c: NmapCore, sources: number, planes: number): boolean {
  const { row_source: source, row_plane: plane, row_ptr: ptr } = c;
  if (!(source instanceof Int32Array && ptr instanceof Int32Array && ptr.length === source.length + 1 && ptr[0] === 0)) return false;
  if (plane !== null && !(plane instanceof Uint8Array && plane.length === source.length)) return false;
  for (let r = 0; r < source.length; r++)
    if (ptr[r + 1] < ptr[r] || source[r] < 0 || source[r] >= sources || (plane !== null && plane[r] >= planes)) return false;
  return true;
}

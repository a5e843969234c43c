/**
 * A loaded compiled map checked as a file from anyone: every index, size and count it holds is range-checked
 * against the rest of the file and against limits before a simulator allocates or indexes anything by it. What
 * compiler/verify.ts proves of the IR the compiler emits, this checks of the file as read: populations tile the
 * sources, every core belongs to a population and holds a range of its units, every synapse targets an
 * accumulator of its core, every route starts at a router of the mesh and ends at cores of the map, every source
 * has a route or none. A failed check is one UserError naming the file and the first thing wrong.
 */
import { MODEL_LIMITS, UserError } from '../models/config';
import { FEWEST_SIGNED_PLANES, LINK } from './ir';
import type { CompiledMap } from './nmap';
import { formatCountOf } from '../format/table';

/**
 * Bounds on what a map may declare, far above what the compiler emits (the shipped targets: ≤ 1,152 cores a
 * chip, 4 accumulators a unit, ≤ 32 event bits), so a typo or a hostile value is refused before it is used as a
 * size.
 */
export const NMAP_LIMITS = { slots: 16, planes: 32, chips: 65_536, routers: 16_777_216 } as const;

export function checkNmapStructure(map: CompiledMap, file: string, synapseStarts: () => Int32Array[]): void {
  const bad = (what: string) => new UserError(`${file} is not a valid compiled map: ${what}`);
  const isIndex = (v: unknown, n: number) => Number.isInteger(v) && (v as number) >= 0 && (v as number) < n;
  const isCount = (v: unknown, max: number) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= max;

  // The model the map computes: vocabulary, embedding and host tensors agree with the config.
  const { config, vocab } = map.model;
  if (!Array.isArray(vocab) || vocab.length !== config.vocabSize)
    throw bad(`its vocabulary has ${Array.isArray(vocab) ? vocab.length : 'no'} words, its model config says ${config.vocabSize}`);
  if (!(map.host.embedding instanceof Float32Array) || map.host.embedding.length !== config.vocabSize * config.emb)
    throw bad(`its embedding holds ${map.host.embedding?.length} values, a ${config.vocabSize}×${config.emb} embedding ${config.vocabSize * config.emb}`);

  // Numbers the simulator computes with: finite, and stored as the map's arithmetic says (an fp32 map labelled
  // int8 used to run as if quantised, exit 0).
  const firstNonFinite = (a: ArrayLike<number>) => {
    for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return i;
    return -1;
  };
  const finite = (what: string, a: ArrayLike<number> | null | undefined) => {
    const i = a ? firstNonFinite(a) : -1;
    if (i >= 0) throw bad(`${what} holds a non-finite value (${a![i]} at index ${i})`);
  };
  finite('its embedding', map.host.embedding);
  for (const [name, t] of Object.entries(map.host.tensors ?? {})) finite(`host tensor ${name}`, t);
  // Own keys only: a name such as 'constructor' would otherwise find a member of Object.prototype.
  const mode = Object.hasOwn(map.target.arithmetic, map.compiler.arithmetic) ? map.target.arithmetic[map.compiler.arithmetic] : undefined;
  if (!mode) throw bad(`its arithmetic ${map.compiler.arithmetic} is not one of its target's (${Object.keys(map.target.arithmetic).join(', ')})`);
  if (map.compiler.number_format !== mode.number_format)
    throw bad(`it says its numbers are ${map.compiler.number_format}, and ${map.target.name}'s ${map.compiler.arithmetic} is ${mode.number_format}`);
  const weights = map.synapses.weight;
  if ((mode.number_format === 'float') !== (weights instanceof Float32Array))
    throw bad(`its ${map.compiler.arithmetic} (${mode.number_format}) synapses are stored as ${weights.constructor.name}`);
  finite('its synapse weights', weights);
  for (const core of map.cores) (finite(`core ${core.core}'s thresholds`, core.thr), finite(`core ${core.core}'s biases`, core.bias));

  // Compiler settings used as sizes.
  const c = map.compiler;
  if (!isCount(c.planes, NMAP_LIMITS.planes) || (c.encoding === 'bit-planes' && c.planes < 1))
    throw bad(`compiler.planes is ${c.planes}, expected an integer from ${c.encoding === 'bit-planes' ? 1 : 0} to ${NMAP_LIMITS.planes}`);
  if (!isCount(c.chips, NMAP_LIMITS.chips) || c.chips < 1) throw bad(`compiler.chips is ${c.chips}, expected 1 to ${NMAP_LIMITS.chips}`);
  const m = map.mesh;
  // Each on its own: a product alone lets a −2×−2 mesh pass as 4 routers.
  for (const [name, n] of [['width', m.width], ['height', m.height], ['cores_per_chip', m.cores_per_chip]] as const)
    if (!(Number.isInteger(n) && n >= 1)) throw bad(`mesh.${name} is ${n}, expected a whole number from 1`);
  const routers = c.chips * m.width * m.height; // a whole number from 1: its factors are, each checked above
  if (routers > NMAP_LIMITS.routers)
    throw bad(`its mesh (${m.width}×${m.height} on ${c.chips} chips) is not 1 to ${NMAP_LIMITS.routers.toLocaleString('en-US')} routers`);
  const coreIds = c.chips * m.cores_per_chip;

  // Populations tile the sources 0 … sources−1, in order.
  let sources = 0;
  map.populations.forEach((p, i) => {
    const what = `population ${i} (${p.name})`;
    if (p.id !== i || typeof p.name !== 'string') throw bad(`${what} has id ${p.id} and name ${JSON.stringify(p.name)}`);
    if (!isCount(p.size, MODEL_LIMITS.vocabSize)) throw bad(`${what} has size ${p.size}, expected 0 to ${MODEL_LIMITS.vocabSize.toLocaleString('en-US')}`);
    // Host populations (the embedding) have no accumulators on chip.
    const fewest = p.where === 'host' ? 0 : 1;
    if (!isCount(p.slots, NMAP_LIMITS.slots) || p.slots < fewest) throw bad(`${what} has ${p.slots} accumulator slots a unit, expected ${fewest} to ${NMAP_LIMITS.slots}`);
    if (p.source_base !== sources) throw bad(`${what} starts at source ${p.source_base}, expected ${sources}`);
    if (!(Number.isFinite(p.state_scale) && p.state_scale > 0)) throw bad(`${what} has state scale ${p.state_scale}, expected a positive finite number`);
    // The simulator reads every population's encoding (simulator/from-nmap.ts): an unknown one must stop here.
    const e = p.event as { kind?: unknown; bits?: unknown; signed?: unknown } | null | undefined;
    // (No check of the scale: a bit-plane map's embedding carries a non-finite one, unread.)
    const encodingOk = typeof e === 'object' && e !== null &&
      (e.kind === 'float' || ((e.kind === 'int' || e.kind === 'planes') && typeof e.signed === 'boolean' &&
        (e.kind === 'planes' || (isCount(e.bits, 32) && (e.bits as number) >= 1))));
    if (!encodingOk)
      throw bad(`${what} has the event encoding ${JSON.stringify(p.event) ?? 'undefined'}, expected kind float, or int (1 to 32 bits) or planes, each with a signed flag`);
    if (p.event.kind === 'planes') {
      const { planes, signed } = p.event;
      const fewest = signed ? FEWEST_SIGNED_PLANES : 1;
      if (!(isCount(planes, NMAP_LIMITS.planes) && planes >= fewest))
        throw bad(`${what} sends ${formatCountOf(planes, `${signed ? 'signed ' : ''}bit plane`)}, expected ${fewest} to ${NMAP_LIMITS.planes}`);
    }
    if (!(p.slice_start instanceof Int32Array && p.slice_core instanceof Int32Array && p.slice_start.length === p.slice_core.length))
      throw bad(`${what} has malformed slices`);
    for (const core of p.slice_core) if (!isIndex(core, coreIds)) throw bad(`${what} puts a slice on core ${core}, outside the map's ${coreIds} cores`);
    sources += p.size;
  });
  for (const q of map.projections)
    if (typeof q.name !== 'string' || !isIndex(q.from, map.populations.length) || !isIndex(q.to, map.populations.length) || !Number.isFinite(q.weight_scale))
      throw bad(`projection ${q.id} (${q.name}) joins populations ${q.from} → ${q.to} with scale ${q.weight_scale}; the map has ${map.populations.length} populations`);

  // Cores: placed once, each a non-empty range of one on-chip population's units (the compiler never writes an empty core).
  const seen = new Set<number>();
  map.cores.forEach((core, i) => {
    const what = `core map ${i} (core ${core.core})`;
    if (!isIndex(core.core, coreIds)) throw bad(`${what}: core id outside the map's ${coreIds} cores`);
    if (seen.has(core.core)) throw bad(`${what}: core ${core.core} appears twice`);
    seen.add(core.core);
    if (!isIndex(core.population, map.populations.length))
      throw bad(`${what} names population ${core.population}, and the map has ${map.populations.length}`);
    const p = map.populations[core.population];
    if (p.where !== 'chip') throw bad(`${what} holds units of ${p.name}, a population on the host`);
    if (!(Number.isInteger(core.unit_start) && Number.isInteger(core.unit_end) && 0 <= core.unit_start && core.unit_start < core.unit_end && core.unit_end <= p.size))
      throw bad(`${what} holds units ${core.unit_start}–${core.unit_end} of ${p.name}, which has ${p.size}`);
    const units = core.unit_end - core.unit_start;
    if (core.thr !== null && core.thr?.length !== units) throw bad(`${what} has ${core.thr?.length} thresholds for ${units} units`);
    if (core.bias !== null && core.bias?.length !== units * p.slots) throw bad(`${what} has ${core.bias?.length} biases for ${units} units of ${p.slots} slots`);
  });

  // Every synapse targets an accumulator of its own core.
  const starts = synapseStarts();
  const { post } = map.synapses;
  map.cores.forEach((core, i) => {
    const local = (core.unit_end - core.unit_start) * map.populations[core.population].slots;
    const at = starts[i], ptr = core.row_ptr;
    for (let r = 0; r < at.length; r++)
      for (let k = at[r], end = at[r] + ptr[r + 1] - ptr[r]; k < end; k++)
        if (post[k] >= local) throw bad(`core ${core.core}: a synapse targets accumulator ${post[k]}, and the core has ${local}`);
  });

  // Routes: trees on the mesh from a router to cores of the map; every source has a route or none (−1).
  const r = map.routes;
  if (!(Number.isInteger(r.count) && r.count >= 0 && r.source?.length === r.count)) throw bad(`routes.count is ${r.count}, and routes.source lists ${r.source?.length} routes`);
  const lengthIs = (name: string, a: ArrayLike<number> | undefined, n: number) => {
    if (a?.length !== n) throw bad(`routes.${name} has ${a?.length} entries, expected ${n}`);
  };
  const ptrOver = (name: string, ptr: Int32Array, n: number) => {
    lengthIs(name, ptr, r.count + 1);
    if (ptr[0] !== 0 || ptr[r.count] !== n) throw bad(`routes.${name} does not span its ${n} entries`);
    for (let k = 0; k < r.count; k++) if (ptr[k + 1] < ptr[k]) throw bad(`routes.${name} decreases at route ${k}`);
  };
  lengthIs('origin', r.origin, r.count);
  lengthIs('to_host', r.to_host, r.count);
  lengthIs('unit_route', r.unit_route, sources);
  ptrOver('dest_ptr', r.dest_ptr, r.dest_core.length);
  ptrOver('edge_ptr', r.edge_ptr, r.edge_from.length);
  lengthIs('edge_to', r.edge_to, r.edge_from.length);
  lengthIs('edge_link', r.edge_link, r.edge_from.length);
  for (const o of r.origin) if (!isIndex(o, routers)) throw bad(`a route starts at router ${o}, outside the mesh's ${routers}`);
  for (let e = 0; e < r.edge_from.length; e++)
    if (!isIndex(r.edge_from[e], routers) || !isIndex(r.edge_to[e], routers) || r.edge_link[e] & ~(LINK.east | LINK.west | LINK.north | LINK.south | LINK.host))
      throw bad(`route edge ${e} (${r.edge_from[e]} → ${r.edge_to[e]}) leaves the mesh's ${routers} routers`);
  for (const d of r.dest_core) if (!seen.has(d)) throw bad(`a route ends at core ${d}, which is not in the map`);
  for (const u of r.unit_route) if (!(Number.isInteger(u) && u >= -1 && u < r.count)) throw bad(`a source's route is ${u}, and the map has ${r.count} routes`);
  for (let k = 0; k < r.count; k++)
    for (let d = r.dest_ptr[k] + 1; d < r.dest_ptr[k + 1]; d++)
      if (r.dest_core[d] <= r.dest_core[d - 1]) throw bad(`route ${k} does not list its destination cores in increasing order`);
  // Every synapse row is fed: its source's route ends at the row's core (found by bisection in the sorted list).
  const reaches = (k: number, core: number) => {
    let lo = r.dest_ptr[k], hi = r.dest_ptr[k + 1];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (r.dest_core[mid] < core) lo = mid + 1;
      else hi = mid;
    }
    return lo < r.dest_ptr[k + 1] && r.dest_core[lo] === core;
  };
  // And every core a source's route reaches holds synapses from it (the simulator serves the route by that rule).
  const rowSources = new Map(map.cores.map((core) => [core.core, new Set(core.row_source)]));
  for (let source = 0; source < sources; source++) {
    const k = r.unit_route[source];
    if (k < 0) continue;
    for (let d = r.dest_ptr[k]; d < r.dest_ptr[k + 1]; d++)
      if (!rowSources.get(r.dest_core[d])!.has(source)) throw bad(`the route of source ${source} reaches core ${r.dest_core[d]}, which has no synapses from it`);
  }
  for (const core of map.cores)
    for (const source of core.row_source) {
      const k = r.unit_route[source];
      if (k < 0 || !reaches(k, core.core)) throw bad(`core ${core.core} has synapses from source ${source}, whose route does not reach it`);
    }
}

/**
 * compiler/nmap-check.ts, check by check (issue 14): a negative test for every check the verifier of loaded maps
 * makes. Each test compiles one small valid map, breaks it in exactly the one way a check guards, and expects that
 * check's message word for word; each boundary a check has is tried on both sides where that is cheap.
 *
 * The map (compiled inside every test, nothing shared): vocabulary 3, embedding 2, one EGRU layer of 3 units,
 * decoder on the host, fp32 on tiny, balance over --cores 3, so every unit has a core of its own:
 *   populations  0 embedding (host, 2 units, 0 slots, sources 0–1), 1 layer0 (chip, 3 units, 4 slots, sources 2–4,
 *                slices on cores 0, 1, 2), 2 decoder (host, 3 units, 1 slot, sources 5–7): 8 sources
 *   projections  0 layer0.input 0 → 1, 1 layer0.recurrent 1 → 1, 2 decoder 1 → 2, every weight scale 1
 *   cores        0, 1, 2: layer0 units 0–1, 1–2, 2–3; 1 threshold and 4 biases each; rows from sources 0–4 (2 inputs
 *                and 3 recurrent), 3 entries a row (3 gates): 15 a core, 45 synapses in all; 1 unit × 4 slots = 4
 *                accumulators a core, so local targets 0–3
 *   mesh         2×2 on 1 chip: 4 routers; 8 cores a chip: core ids 0–7; cores 0, 1 at router 0, core 2 at router 1
 *   routes       4: route 0 from the host (sources 0–1), routes 1, 2, 3 from units 0, 1, 2 (sources 2, 3, 4); each
 *                ends at cores 0, 1, 2 (dest_ptr 0 3 6 9 12); one edge each: 0→1 east, 0→1, 0→1, 1→0 west (edge_ptr
 *                0 1 2 3 4); origin 0 0 0 1; unit_route 0 0 1 2 3 −1 −1 −1 (the decoder's sources go nowhere)
 *   synapse table  ordered by (source, core): source 0 on cores 0, 1, 2 at 0–8, source 1 at 9–17, source 2 at 18–26
 *                (core 0's row 18–20 targets 0 1 3), …, source 4 on core 2 at 42–44
 * The second map, for bit-plane checks: the same model as binary spikes in bit-planes with --planes 2, the fewest
 * (a sign plane and one magnitude plane: the embedding's events are signed; int8 weights, one core holding all of
 * layer0, its 5 sources × 2 planes = 10 rows; the embedding's and layer0's events 2 planes each).
 */
import { compile, nmapFromRecord, packNmap, NMAP_KIND, type CompiledMap } from '../compiler';
import { checkNmapStructure, NMAP_LIMITS } from '../compiler/nmap-check';
import { nmapBody, synapseRowStarts } from '../compiler/nmap';
import { MODEL_LIMITS } from '../models/config';
import { decodeContainer } from '../models/container';
import { loadTarget } from '../targets/load';
import { errorOf } from './helpers/errors';
import { fixtureConfig, randomModel } from './fixtures/model';

type Kind = 'fp32' | 'planes';

/** A fresh valid map: the model compiled again on every call, so no test sees another's changes. */
function fresh(kind: Kind = 'fp32'): CompiledMap {
  const model = randomModel(fixtureConfig({ emb: 2, layers: [3], vocabSize: 3 }));
  const options = kind === 'fp32'
    ? { decoder: 'host' as const, strategy: 'balance' as const, cores: 3 }
    : { arith: 'binary', binaryEncoding: true, planes: 2, decoder: 'host' as const };
  return { format: NMAP_KIND.format, version: NMAP_KIND.version, ...nmapBody(compile(model, loadTarget('tiny'), options)) };
}

const FILE = 'm.nmap';
const P = `${FILE} is not a valid compiled map: `;
const check = (map: CompiledMap) => checkNmapStructure(map, FILE, () => synapseRowStarts(map));
/** The message the check gives for the map `kind` changed by `change`. */
const refusal = (change: (m: CompiledMap) => void, kind: Kind = 'fp32') => {
  const map = fresh(kind);
  change(map);
  return errorOf(() => check(map));
};
/** Sets a field to a value of a type the map's interface does not allow (what a hostile file can hold). */
const put = (object: object, key: string, value: unknown) => ((object as Record<string, unknown>)[key] = value);
/** Population p's events (a frozen object, shared) replaced by a copy with `planes` bit planes. */
const withPlanes = (m: CompiledMap, p: number, planes: number) => put(m.populations[p], 'event', { ...m.populations[p].event, planes });
/** Route k without its destination `core`: dest_ptr and dest_core shortened by one entry. */
const dropDestination = (m: CompiledMap, k: number, core: number) => {
  const r = m.routes;
  const at = r.dest_core.findIndex((c, d) => d >= r.dest_ptr[k] && d < r.dest_ptr[k + 1] && c === core);
  r.dest_core = Int32Array.from([...r.dest_core.subarray(0, at), ...r.dest_core.subarray(at + 1)]);
  r.dest_ptr = r.dest_ptr.map((p, i) => (i > k ? p - 1 : p));
};

describe('the unbroken maps pass', () => {
  it('checked directly, and loaded from their bytes (nmapFromRecord runs the check)', () => {
    for (const kind of ['fp32', 'planes'] as const) {
      const map = fresh(kind);
      // What the header comment says of the map, so the hand-worked numbers below stand on it.
      if (kind === 'fp32') {
        expect(map.populations.map((p) => [p.where, p.size, p.slots, p.source_base])).toEqual([['host', 2, 0, 0], ['chip', 3, 4, 2], ['host', 3, 1, 5]]);
        expect(map.cores.map((c) => [c.core, c.unit_start, c.unit_end, c.thr!.length, c.bias!.length])).toEqual([[0, 0, 1, 1, 4], [1, 1, 2, 1, 4], [2, 2, 3, 1, 4]]);
        expect(Array.from(map.routes.dest_ptr)).toEqual([0, 3, 6, 9, 12]);
        expect(Array.from(map.routes.dest_core)).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2]);
        expect(Array.from(map.routes.edge_ptr)).toEqual([0, 1, 2, 3, 4]);
        expect([Array.from(map.routes.edge_from), Array.from(map.routes.edge_to), Array.from(map.routes.edge_link)]).toEqual([[0, 0, 0, 1], [1, 1, 1, 0], [1, 1, 1, 2]]);
        expect(Array.from(map.routes.origin)).toEqual([0, 0, 0, 1]);
        expect(Array.from(map.routes.unit_route)).toEqual([0, 0, 1, 2, 3, -1, -1, -1]);
        expect(Array.from(map.synapses.post.subarray(18, 21))).toEqual([0, 1, 3]);
        expect(map.synapses.post.length).toBe(45);
        expect(Object.keys(map.host.tensors)).toEqual(['decoder.weight', 'decoder.bias']);
      } else {
        expect([map.compiler.encoding, map.compiler.planes, map.cores.length, map.synapses.weight.constructor.name]).toEqual(['bit-planes', 2, 1, 'Int8Array']);
        expect(Array.from(map.cores[0].row_plane!)).toEqual([0, 1, 0, 1, 0, 1, 0, 1, 0, 1]);
        expect(map.populations.map((p) => p.event.kind === 'planes' && p.event.planes)).toEqual([2, 2, false]);
      }
      expect(() => check(map)).not.toThrow();
      const { format: _f, version: _v, ...body } = map;
      const loaded = nmapFromRecord(decodeContainer(packNmap(body), FILE, NMAP_KIND.noun), FILE);
      expect(loaded.routes.count).toBe(map.routes.count);
    }
  });

  it('a broken map loaded from its bytes is refused by the same check, naming the file', () => {
    const { format: _f, version: _v, ...body } = fresh();
    body.populations[1].slice_core[2] = 8; // 1 chip × 8 cores a chip: ids 0–7
    expect(errorOf(() => nmapFromRecord(decodeContainer(packNmap(body), FILE, NMAP_KIND.noun), FILE)))
      .toBe(`${P}population 1 (layer0) puts a slice on core 8, outside the map's 8 cores`);
  });
});

// [what is broken, the change, the message after "m.nmap is not a valid compiled map: ", which map]
type Case = [string, (m: CompiledMap) => void, string, Kind?];
// [what is changed, the change, which map]: still a valid map. (Rest parameters below: a callback of more
// parameters than a row has values is taken by jest for one with a `done` callback, and waits for it.)
type Accepted = [string, (m: CompiledMap) => void, Kind?];

describe('the model: vocabulary, embedding and host tensors', () => {
  const cases: Case[] = [
    // vocabSize 3; 2 words.
    ['a vocabulary of 2 words for 3', (m) => (m.model.vocab = m.model.vocab.slice(0, 2)), 'its vocabulary has 2 words, its model config says 3'],
    ['a vocabulary of 4 words for 3', (m) => (m.model.vocab = [...m.model.vocab, 'w3']), 'its vocabulary has 4 words, its model config says 3'],
    // A string of 3 characters has the right length but is not a list.
    ['a vocabulary that is a string', (m) => put(m.model, 'vocab', 'abc'), 'its vocabulary has no words, its model config says 3'],
    // 3 words × 2 = 6 values.
    ['an embedding of 5 values', (m) => (m.host.embedding = m.host.embedding.subarray(0, 5)), 'its embedding holds 5 values, a 3×2 embedding 6'],
    ['an embedding of 6 float64 values', (m) => put(m.host, 'embedding', Float64Array.from(m.host.embedding)), 'its embedding holds 6 values, a 3×2 embedding 6'],
    ['no embedding at all', (m) => put(m.host, 'embedding', undefined), 'its embedding holds undefined values, a 3×2 embedding 6'],
  ];
  it.each(cases)('%s', (...[, change, message]: Case) => expect(refusal(change)).toBe(P + message));
});

describe('numbers the simulator computes with: finite', () => {
  const cases: Case[] = [
    ['Infinity at embedding index 0', (m) => (m.host.embedding[0] = Infinity), 'its embedding holds a non-finite value (Infinity at index 0)'],
    ['NaN at embedding index 4', (m) => (m.host.embedding[4] = NaN), 'its embedding holds a non-finite value (NaN at index 4)'],
    ['-Infinity at the last embedding index, 5', (m) => (m.host.embedding[5] = -Infinity), 'its embedding holds a non-finite value (-Infinity at index 5)'],
    ['Infinity in the decoder bias (3 values), index 2', (m) => (m.host.tensors['decoder.bias'][2] = Infinity), 'host tensor decoder.bias holds a non-finite value (Infinity at index 2)'],
    ['NaN in the last synapse weight, index 44 of 45', (m) => (m.synapses.weight[44] = NaN), 'its synapse weights holds a non-finite value (NaN at index 44)'],
    ['NaN in core 2\'s threshold', (m) => (m.cores[2].thr![0] = NaN), 'core 2\'s thresholds holds a non-finite value (NaN at index 0)'],
    ['-Infinity in core 1\'s last bias (4 of them)', (m) => (m.cores[1].bias![3] = -Infinity), 'core 1\'s biases holds a non-finite value (-Infinity at index 3)'],
  ];
  it.each(cases)('%s', (...[, change, message]: Case) => expect(refusal(change)).toBe(P + message));
});

describe('arithmetic and the number format', () => {
  const cases: Case[] = [
    // tiny offers fp32, int8, binary, in that order.
    ['an arithmetic tiny does not offer', (m) => (m.compiler.arithmetic = 'fp16'), 'its arithmetic fp16 is not one of its target\'s (fp32, int8, binary)'],
    // Names every object has through its prototype are not arithmetic modes either.
    ['the arithmetic "constructor"', (m) => (m.compiler.arithmetic = 'constructor'), 'its arithmetic constructor is not one of its target\'s (fp32, int8, binary)'],
    ['the arithmetic "__proto__"', (m) => (m.compiler.arithmetic = '__proto__'), 'its arithmetic __proto__ is not one of its target\'s (fp32, int8, binary)'],
    ['an fp32 map saying its numbers are int', (m) => (m.compiler.number_format = 'int'), 'it says its numbers are int, and tiny\'s fp32 is float'],
    ['float weights stored as Int8Array', (m) => put(m.synapses, 'weight', Int8Array.from(m.synapses.weight)), 'its fp32 (float) synapses are stored as Int8Array'],
    ['int weights stored as Float32Array', (m) => put(m.synapses, 'weight', Float32Array.from(m.synapses.weight)), 'its binary (int) synapses are stored as Float32Array', 'planes'],
  ];
  it.each(cases)('%s', (...[, change, message, kind]: Case) => expect(refusal(change, kind)).toBe(P + message));
});

describe('compiler settings used as sizes: planes, chips, the mesh', () => {
  const cases: Case[] = [
    // NMAP_LIMITS.planes 32: 33 is one over; native encoding allows 0, bit-planes not.
    ['native planes 33', (m) => (m.compiler.planes = 33), 'compiler.planes is 33, expected an integer from 0 to 32'],
    ['native planes -1', (m) => (m.compiler.planes = -1), 'compiler.planes is -1, expected an integer from 0 to 32'],
    ['native planes 1.5', (m) => (m.compiler.planes = 1.5), 'compiler.planes is 1.5, expected an integer from 0 to 32'],
    ['bit-planes 0', (m) => (m.compiler.planes = 0), 'compiler.planes is 0, expected an integer from 1 to 32', 'planes'],
    ['bit-planes 33', (m) => (m.compiler.planes = 33), 'compiler.planes is 33, expected an integer from 1 to 32', 'planes'],
    // NMAP_LIMITS.chips 65,536 (printed without a separator).
    ['chips 0', (m) => (m.compiler.chips = 0), 'compiler.chips is 0, expected 1 to 65536'],
    ['chips 65,537', (m) => (m.compiler.chips = 65_537), 'compiler.chips is 65537, expected 1 to 65536'],
    ['chips 1.5', (m) => (m.compiler.chips = 1.5), 'compiler.chips is 1.5, expected 1 to 65536'],
    ['chips -1', (m) => (m.compiler.chips = -1), 'compiler.chips is -1, expected 1 to 65536'],
    // Each size on its own: a product of 4 routers (−2 × −2) or of 3 (1.5 × 2) once passed.
    ['a mesh 0 wide', (m) => (m.mesh.width = 0), 'mesh.width is 0, expected a whole number from 1'],
    ['a mesh 1.25 wide', (m) => (m.mesh.width = 1.25), 'mesh.width is 1.25, expected a whole number from 1'],
    ['a mesh −2 × −2 (4 routers)', (m) => ((m.mesh.width = -2), (m.mesh.height = -2)), 'mesh.width is -2, expected a whole number from 1'],
    ['a mesh 2 × 1.5 (3 routers)', (m) => (m.mesh.height = 1.5), 'mesh.height is 1.5, expected a whole number from 1'],
    ['a mesh 2 × 0', (m) => (m.mesh.height = 0), 'mesh.height is 0, expected a whole number from 1'],
    ['0 cores a chip', (m) => (m.mesh.cores_per_chip = 0), 'mesh.cores_per_chip is 0, expected a whole number from 1'],
    ['2.5 cores a chip', (m) => (m.mesh.cores_per_chip = 2.5), 'mesh.cores_per_chip is 2.5, expected a whole number from 1'],
    // 65,536 × 17 × 16 = 17,825,792 > 16,777,216 (= 2^24 = 65,536 × 16 × 16, accepted below).
    ['65,536 chips of 17×16', (m) => ((m.compiler.chips = 65_536), (m.mesh.width = 17), (m.mesh.height = 16)), 'its mesh (17×16 on 65536 chips) is not 1 to 16,777,216 routers'],
  ];
  it.each(cases)('%s', (...[, change, message, kind]: Case) => expect(refusal(change, kind)).toBe(P + message));

  const accepted: Accepted[] = [
    ['native planes 0', (m) => (m.compiler.planes = 0)],
    ['native planes 32', (m) => (m.compiler.planes = 32)],
    ['bit-planes 32 (every row is plane 0 or 1)', (m) => (m.compiler.planes = 32), 'planes'],
    ['chips 65,536', (m) => (m.compiler.chips = 65_536)],
    ['65,536 chips of 16×16: 16,777,216 routers', (m) => ((m.compiler.chips = 65_536), (m.mesh.width = 16), (m.mesh.height = 16))],
    ['a 1×1 mesh on 1 chip: 1 router (every origin and edge is router 0)', (m) => {
      (m.mesh.width = 1), (m.mesh.height = 1);
      (m.routes.origin = new Int32Array(4)), (m.routes.edge_from = new Int32Array(4)), (m.routes.edge_to = new Int32Array(4));
    }],
  ];
  it.each(accepted)('accepts %s', (...[, change, kind]: Accepted) => {
    const map = fresh(kind);
    change(map);
    expect(() => check(map)).not.toThrow();
  });
});

describe('populations tile the sources', () => {
  const cases: Case[] = [
    ['a population whose id is not its place', (m) => (m.populations[1].id = 2), 'population 1 (layer0) has id 2 and name "layer0"'],
    ['a population whose name is a number', (m) => put(m.populations[2], 'name', 7), 'population 2 (7) has id 2 and name 7'],
    // MODEL_LIMITS.vocabSize 1,048,576.
    ['size 1,048,577', (m) => (m.populations[2].size = 1_048_577), 'population 2 (decoder) has size 1048577, expected 0 to 1,048,576'],
    ['size -1', (m) => (m.populations[2].size = -1), 'population 2 (decoder) has size -1, expected 0 to 1,048,576'],
    ['size 2.5', (m) => (m.populations[2].size = 2.5), 'population 2 (decoder) has size 2.5, expected 0 to 1,048,576'],
    // A chip population needs 1 to 16 slots; a host one 0 to 16.
    ['a chip population with 0 slots', (m) => (m.populations[1].slots = 0), 'population 1 (layer0) has 0 accumulator slots a unit, expected 1 to 16'],
    ['a host population with 17 slots', (m) => (m.populations[2].slots = 17), 'population 2 (decoder) has 17 accumulator slots a unit, expected 0 to 16'],
    ['a host population with -1 slots', (m) => (m.populations[0].slots = -1), 'population 0 (embedding) has -1 accumulator slots a unit, expected 0 to 16'],
    ['a host population with 0.5 slots', (m) => (m.populations[2].slots = 0.5), 'population 2 (decoder) has 0.5 accumulator slots a unit, expected 0 to 16'],
    // Sources before the decoder: 2 + 3 = 5.
    ['the decoder starting at source 4', (m) => (m.populations[2].source_base = 4), 'population 2 (decoder) starts at source 4, expected 5'],
    ['the embedding starting at source 1', (m) => (m.populations[0].source_base = 1), 'population 0 (embedding) starts at source 1, expected 0'],
    ['state scale 0', (m) => (m.populations[1].state_scale = 0), 'population 1 (layer0) has state scale 0, expected a positive finite number'],
    ['state scale -0.5', (m) => (m.populations[1].state_scale = -0.5), 'population 1 (layer0) has state scale -0.5, expected a positive finite number'],
    ['state scale Infinity', (m) => (m.populations[1].state_scale = Infinity), 'population 1 (layer0) has state scale Infinity, expected a positive finite number'],
    ['state scale NaN', (m) => (m.populations[1].state_scale = NaN), 'population 1 (layer0) has state scale NaN, expected a positive finite number'],
    // Bit planes per event: 1 to NMAP_LIMITS.planes = 32.
    ['events of 0 bit planes', (m) => withPlanes(m, 1, 0), 'population 1 (layer0) sends 0 bit planes, expected 1 to 32', 'planes'],
    ['events of 33 bit planes', (m) => withPlanes(m, 1, 33), 'population 1 (layer0) sends 33 bit planes, expected 1 to 32', 'planes'],
    // The embedding's events are signed: a sign plane and at least one magnitude plane, so 2 to 32.
    ['events of 1.5 bit planes', (m) => withPlanes(m, 0, 1.5), 'population 0 (embedding) sends 1.5 signed bit planes, expected 2 to 32', 'planes'],
    ['signed events of 1 bit plane', (m) => withPlanes(m, 0, 1), 'population 0 (embedding) sends 1 signed bit plane, expected 2 to 32', 'planes'],
    // An encoding the simulator does not know (once a TypeError when the map was simulated).
    ...([
      ['no event encoding', undefined, 'undefined'],
      ['a null event encoding', null, 'null'],
      ['an event encoding of kind "spike"', { kind: 'spike' }, '{"kind":"spike"}'],
      ['int events of 0 bits', { kind: 'int', bits: 0, signed: true, scale: 1 }, '{"kind":"int","bits":0,"signed":true,"scale":1}'],
      ['int events of 33 bits', { kind: 'int', bits: 33, signed: true, scale: 1 }, '{"kind":"int","bits":33,"signed":true,"scale":1}'],
      ['int events without a signed flag', { kind: 'int', bits: 8, scale: 1 }, '{"kind":"int","bits":8,"scale":1}'],
      ['plane events without a signed flag', { kind: 'planes', planes: 2, signed: 1, scale: 1 }, '{"kind":"planes","planes":2,"signed":1,"scale":1}'],
    ] as const).map(([name, event, text]): Case => [name, (m) => put(m.populations[1], 'event', event),
      `population 1 (layer0) has the event encoding ${text}, expected kind float, or int (1 to 32 bits) or planes, each with a signed flag`]),
    ['slice starts as a plain list', (m) => put(m.populations[1], 'slice_start', [0, 1, 2]), 'population 1 (layer0) has malformed slices'],
    ['slice cores as a plain list', (m) => put(m.populations[1], 'slice_core', [0, 1, 2]), 'population 1 (layer0) has malformed slices'],
    ['3 slice starts and 2 slice cores', (m) => (m.populations[1].slice_core = Int32Array.of(0, 1)), 'population 1 (layer0) has malformed slices'],
    // 1 chip × 8 cores a chip: ids 0–7.
    ['a slice on core 8', (m) => (m.populations[1].slice_core[2] = 8), 'population 1 (layer0) puts a slice on core 8, outside the map\'s 8 cores'],
    ['a slice on core -1', (m) => (m.populations[1].slice_core[0] = -1), 'population 1 (layer0) puts a slice on core -1, outside the map\'s 8 cores'],
  ];
  it.each(cases)('%s', (...[, change, message, kind]: Case) => expect(refusal(change, kind)).toBe(P + message));

  const accepted: Accepted[] = [
    ['a host population with 16 slots', (m) => (m.populations[2].slots = 16)],
    // The decoder's 3 sources gone: 5 sources, unit_route 5 long.
    ['a population of 0 units', (m) => ((m.populations[2].size = 0), (m.routes.unit_route = m.routes.unit_route.subarray(0, 5)))],
    // 5 + 1,048,576 sources, the decoder's all without a route.
    ['a population of 1,048,576 units', (m) => {
      m.populations[2].size = MODEL_LIMITS.vocabSize;
      const unitRoute = new Int32Array(5 + 1_048_576).fill(-1);
      unitRoute.set(m.routes.unit_route.subarray(0, 5));
      m.routes.unit_route = unitRoute;
    }],
    ['events of 32 bit planes', (m) => withPlanes(m, 1, 32), 'planes'],
    ['unsigned events of 1 bit plane (layer0)', (m) => withPlanes(m, 1, 1), 'planes'],
    ['a slice on core 7', (m) => (m.populations[1].slice_core[2] = 7)],
  ];
  it.each(accepted)('accepts %s', (...[, change, kind]: Accepted) => {
    const map = fresh(kind);
    change(map);
    expect(() => check(map)).not.toThrow();
  });
});

describe('projections join populations of the map', () => {
  const cases: Case[] = [
    // 3 populations: ids 0–2.
    ['from population 3', (m) => (m.projections[1].from = 3), 'projection 1 (layer0.recurrent) joins populations 3 → 1 with scale 1; the map has 3 populations'],
    ['from population -1', (m) => (m.projections[1].from = -1), 'projection 1 (layer0.recurrent) joins populations -1 → 1 with scale 1; the map has 3 populations'],
    ['to population 3', (m) => (m.projections[2].to = 3), 'projection 2 (decoder) joins populations 1 → 3 with scale 1; the map has 3 populations'],
    ['to population 0.5', (m) => (m.projections[0].to = 0.5), 'projection 0 (layer0.input) joins populations 0 → 0.5 with scale 1; the map has 3 populations'],
    ['a name that is a number', (m) => put(m.projections[1], 'name', 5), 'projection 1 (5) joins populations 1 → 1 with scale 1; the map has 3 populations'],
    ['scale NaN', (m) => (m.projections[1].weight_scale = NaN), 'projection 1 (layer0.recurrent) joins populations 1 → 1 with scale NaN; the map has 3 populations'],
  ];
  it.each(cases)('%s', (...[, change, message]: Case) => expect(refusal(change)).toBe(P + message));

  it('accepts a projection from and to the last population, 2', () => {
    const map = fresh();
    (map.projections[0].from = 2), (map.projections[0].to = 2);
    expect(() => check(map)).not.toThrow();
  });
});

describe('cores: placed once, each a range of its population\'s units', () => {
  const cases: Case[] = [
    ['core id 8 of 8', (m) => (m.cores[2].core = 8), 'core map 2 (core 8): core id outside the map\'s 8 cores'],
    ['core id -1', (m) => (m.cores[0].core = -1), 'core map 0 (core -1): core id outside the map\'s 8 cores'],
    ['core 1 twice', (m) => (m.cores[2].core = 1), 'core map 2 (core 1): core 1 appears twice'],
    ['a core naming population 3 of 3', (m) => (m.cores[0].population = 3), 'core map 0 (core 0) names population 3, and the map has 3'],
    ['a core naming population -1', (m) => (m.cores[0].population = -1), 'core map 0 (core 0) names population -1, and the map has 3'],
    // Population 0 is the embedding, on the host (its 2 units would fit the range 0–1 of core 0).
    ['a core holding the embedding', (m) => (m.cores[0].population = 0), 'core map 0 (core 0) holds units of embedding, a population on the host'],
    ['a core holding the decoder', (m) => (m.cores[1].population = 2), 'core map 1 (core 1) holds units of decoder, a population on the host'],
    // layer0 has 3 units.
    ['units 2–4 of 3', (m) => (m.cores[2].unit_end = 4), 'core map 2 (core 2) holds units 2–4 of layer0, which has 3'],
    ['units -1–1', (m) => (m.cores[0].unit_start = -1), 'core map 0 (core 0) holds units -1–1 of layer0, which has 3'],
    ['units 3–2 (start after end)', (m) => (m.cores[1].unit_start = 3), 'core map 1 (core 1) holds units 3–2 of layer0, which has 3'],
    // Ranges are half-open: 2–2 holds no unit (the unit_start ≤ unit_end this check once allowed).
    ['units 2–2 (empty)', (m) => (m.cores[2].unit_end = 2), 'core map 2 (core 2) holds units 2–2 of layer0, which has 3'],
    ['units 0.5–1', (m) => (m.cores[0].unit_start = 0.5), 'core map 0 (core 0) holds units 0.5–1 of layer0, which has 3'],
    ['units 0–1.5', (m) => (m.cores[0].unit_end = 1.5), 'core map 0 (core 0) holds units 0–1.5 of layer0, which has 3'],
    // 1 unit: 1 threshold, 1 × 4 slots = 4 biases.
    ['2 thresholds for 1 unit', (m) => (m.cores[0].thr = new Float32Array(2)), 'core map 0 (core 0) has 2 thresholds for 1 units'],
    ['0 thresholds for 1 unit', (m) => (m.cores[2].thr = new Float32Array(0)), 'core map 2 (core 2) has 0 thresholds for 1 units'],
    ['thresholds missing (undefined, not null)', (m) => put(m.cores[0], 'thr', undefined), 'core map 0 (core 0) has undefined thresholds for 1 units'],
    ['3 biases for 1 unit of 4 slots', (m) => (m.cores[1].bias = new Float32Array(3)), 'core map 1 (core 1) has 3 biases for 1 units of 4 slots'],
    ['1 bias (as many as units)', (m) => (m.cores[1].bias = new Float32Array(1)), 'core map 1 (core 1) has 1 biases for 1 units of 4 slots'],
    ['biases missing (undefined, not null)', (m) => put(m.cores[1], 'bias', undefined), 'core map 1 (core 1) has undefined biases for 1 units of 4 slots'],
  ];
  it.each(cases)('%s', (...[, change, message]: Case) => expect(refusal(change)).toBe(P + message));

  const accepted: Accepted[] = [
    ['thresholds null', (m) => (m.cores[0].thr = null)],
    ['biases null', (m) => (m.cores[2].bias = null)],
  ];
  it.each(accepted)('accepts %s', (...[, change]: Accepted) => {
    const map = fresh();
    change(map);
    expect(() => check(map)).not.toThrow();
  });
});

describe('every synapse targets an accumulator of its own core (4 a core: 0–3)', () => {
  const cases: Case[] = [
    // Entry 20: source 2's row on core 0 (entries 18–20), its third synapse.
    ['core 0 targeting accumulator 4', (m) => (m.synapses.post[20] = 4), 'core 0: a synapse targets accumulator 4, and the core has 4'],
    // Entry 44, the table's last: source 4's row on core 2 (42–44).
    ['core 2 targeting accumulator 255', (m) => (m.synapses.post[44] = 255), 'core 2: a synapse targets accumulator 255, and the core has 4'],
    // Entry 0: source 0's row on core 0, its first synapse.
    ['core 0\'s first synapse targeting accumulator 4', (m) => (m.synapses.post[0] = 4), 'core 0: a synapse targets accumulator 4, and the core has 4'],
  ];
  it.each(cases)('%s', (...[, change, message]: Case) => expect(refusal(change)).toBe(P + message));

  it('reads each core\'s own rows only: a core of 8 accumulators next to one of 4 in the table', () => {
    // Balance over --cores 2 instead: core 0 holds units 0–1 (2 × 4 = 8 accumulators), core 1 unit 2 (4). The table,
    // by (source, core): source 0 on core 0 at 0–5 (2 units × 3 gates), on core 1 at 6–8, source 1 on core 0 at 9–14.
    // Entry 9 retargeted to 7 is valid for core 0; read as core 1's (one past its row 6–8) it would be refused.
    const model = randomModel(fixtureConfig({ emb: 2, layers: [3], vocabSize: 3 }));
    const body = nmapBody(compile(model, loadTarget('tiny'), { decoder: 'host', strategy: 'balance', cores: 2 }));
    const map: CompiledMap = { format: NMAP_KIND.format, version: NMAP_KIND.version, ...body };
    expect(map.cores.map((c) => [c.unit_start, c.unit_end])).toEqual([[0, 2], [2, 3]]);
    expect(Array.from(synapseRowStarts(map)[1].subarray(0, 2))).toEqual([6, 15]);
    map.synapses.post[9] = 7;
    expect(() => check(map)).not.toThrow();
    map.synapses.post[9] = 8;
    expect(errorOf(() => check(map))).toBe(`${P}core 0: a synapse targets accumulator 8, and the core has 8`);
  });

  it('accepts a synapse targeting accumulator 3, the core\'s last', () => {
    const map = fresh();
    map.synapses.post[18] = 3;
    expect(() => check(map)).not.toThrow();
  });
});

describe('routes: well formed', () => {
  const cases: Case[] = [
    ['count 5, 4 routes', (m) => (m.routes.count = 5), 'routes.count is 5, and routes.source lists 4 routes'],
    ['count 3, 4 routes', (m) => (m.routes.count = 3), 'routes.count is 3, and routes.source lists 4 routes'],
    // 0 routes is well formed (count 0 ≥ 0, every list empty, no source routed): refused only further on, because
    // core 0 holds rows from source 0, the embedding's first unit, which no route reaches.
    ['no routes at all', (m) => {
      const r = m.routes;
      r.count = 0;
      r.source = r.origin = r.dest_core = r.edge_from = r.edge_to = new Int32Array(0);
      r.to_host = r.edge_link = new Uint8Array(0);
      r.dest_ptr = r.edge_ptr = Int32Array.of(0);
      r.unit_route = new Int32Array(8).fill(-1);
    }, 'core 0 has synapses from source 0, whose route does not reach it'],
    ['no routes.source', (m) => put(m.routes, 'source', undefined), 'routes.count is 4, and routes.source lists undefined routes'],
    // A file's msgpack map can hold any `length`: the count must itself be a whole number from 0, not just match it.
    ['count -1 and a source list of length -1', (m) => ((m.routes.count = -1), put(m.routes, 'source', { length: -1 })), 'routes.count is -1, and routes.source lists -1 routes'],
    ['count 1.5 and a source list of length 1.5', (m) => ((m.routes.count = 1.5), put(m.routes, 'source', { length: 1.5 })), 'routes.count is 1.5, and routes.source lists 1.5 routes'],
    // 4 routes; 8 sources; 12 destinations and 4 edges.
    ['3 origins', (m) => (m.routes.origin = m.routes.origin.subarray(0, 3)), 'routes.origin has 3 entries, expected 4'],
    ['no origins', (m) => put(m.routes, 'origin', undefined), 'routes.origin has undefined entries, expected 4'],
    ['5 to_host flags', (m) => (m.routes.to_host = Uint8Array.of(0, 1, 1, 1, 0)), 'routes.to_host has 5 entries, expected 4'],
    ['7 unit routes for 8 sources', (m) => (m.routes.unit_route = m.routes.unit_route.subarray(0, 7)), 'routes.unit_route has 7 entries, expected 8'],
    ['4 dest_ptr entries for 4 routes', (m) => (m.routes.dest_ptr = m.routes.dest_ptr.subarray(0, 4)), 'routes.dest_ptr has 4 entries, expected 5'],
    ['6 edge_ptr entries for 4 routes', (m) => (m.routes.edge_ptr = Int32Array.of(0, 1, 2, 3, 4, 4)), 'routes.edge_ptr has 6 entries, expected 5'],
    ['3 edge_to for 4 edges', (m) => (m.routes.edge_to = m.routes.edge_to.subarray(0, 3)), 'routes.edge_to has 3 entries, expected 4'],
    ['3 edge_link for 4 edges', (m) => (m.routes.edge_link = m.routes.edge_link.subarray(0, 3)), 'routes.edge_link has 3 entries, expected 4'],
    ['dest_ptr starting at 1', (m) => (m.routes.dest_ptr[0] = 1), 'routes.dest_ptr does not span its 12 entries'],
    ['dest_ptr ending at 11', (m) => (m.routes.dest_ptr[4] = 11), 'routes.dest_ptr does not span its 12 entries'],
    ['edge_ptr starting at 1', (m) => (m.routes.edge_ptr[0] = 1), 'routes.edge_ptr does not span its 4 entries'],
    ['edge_ptr ending at 5', (m) => (m.routes.edge_ptr[4] = 5), 'routes.edge_ptr does not span its 4 entries'],
    // 0 7 6 9 12: ptr[2] = 6 < ptr[1] = 7, so route 1.
    ['dest_ptr 0 7 6 9 12', (m) => (m.routes.dest_ptr[1] = 7), 'routes.dest_ptr decreases at route 1'],
    // 0 3 6 13 12: ptr[4] = 12 < ptr[3] = 13, the last route, 3.
    ['dest_ptr 0 3 6 13 12', (m) => (m.routes.dest_ptr[3] = 13), 'routes.dest_ptr decreases at route 3'],
    // 0 2 1 3 4: route 1.
    ['edge_ptr 0 2 1 3 4', (m) => (m.routes.edge_ptr = Int32Array.of(0, 2, 1, 3, 4)), 'routes.edge_ptr decreases at route 1'],
    // 4 routers: 0–3.
    ['an origin at router 4', (m) => (m.routes.origin[3] = 4), 'a route starts at router 4, outside the mesh\'s 4'],
    ['an origin at router -1', (m) => (m.routes.origin[0] = -1), 'a route starts at router -1, outside the mesh\'s 4'],
    ['an edge from router 4', (m) => (m.routes.edge_from[3] = 4), 'route edge 3 (4 → 0) leaves the mesh\'s 4 routers'],
    ['an edge to router 4', (m) => (m.routes.edge_to[0] = 4), 'route edge 0 (0 → 4) leaves the mesh\'s 4 routers'],
    ['an edge from router -1', (m) => (m.routes.edge_from[0] = -1), 'route edge 0 (-1 → 1) leaves the mesh\'s 4 routers'],
    ['an edge to router -1', (m) => (m.routes.edge_to[3] = -1), 'route edge 3 (1 → -1) leaves the mesh\'s 4 routers'],
    // Links are bits 1, 2, 4, 8, 16: 32 is none of them.
    ['an edge on link bit 32', (m) => (m.routes.edge_link[1] = 32), 'route edge 1 (0 → 1) leaves the mesh\'s 4 routers'],
    // 33 = 32 + 1: east with a bit beyond the host's 16.
    ['an edge on links 33 (east and bit 32)', (m) => (m.routes.edge_link[2] = 33), 'route edge 2 (0 → 1) leaves the mesh\'s 4 routers'],
    // Cores of the map: 0, 1, 2; 5 is a core of the mesh but not of the map.
    ['a route ending at core 5', (m) => (m.routes.dest_core[5] = 5), 'a route ends at core 5, which is not in the map'],
    ['a source on route 4 of 4', (m) => (m.routes.unit_route[7] = 4), 'a source\'s route is 4, and the map has 4 routes'],
    ['a source on route -2', (m) => (m.routes.unit_route[6] = -2), 'a source\'s route is -2, and the map has 4 routes'],
    ['a source on route 1.5', (m) => put(m.routes, 'unit_route', [0, 0, 1, 2, 3, -1, 1.5, -1]), 'a source\'s route is 1.5, and the map has 4 routes'],
    // Route 1 listing 1, 0, 2; route 3 listing 0, 2, 2; route 0 listing 0, 2, 1.
    ['route 1 listing cores 1 0 2', (m) => m.routes.dest_core.set([1, 0, 2], 3), 'route 1 does not list its destination cores in increasing order'],
    ['route 3 listing core 2 twice', (m) => m.routes.dest_core.set([0, 2, 2], 9), 'route 3 does not list its destination cores in increasing order'],
    ['route 0 listing cores 0 2 1', (m) => m.routes.dest_core.set([0, 2, 1], 0), 'route 0 does not list its destination cores in increasing order'],
  ];
  it.each(cases)('%s', (...[, change, message]: Case) => expect(refusal(change)).toBe(P + message));

  const accepted: Accepted[] = [
    // A fifth route with no destination and no edge: dest_ptr 0 3 6 9 12 12, edge_ptr 0 1 2 3 4 4; no source uses it.
    ['a route with no destinations and no edges (equal consecutive pointers)', (m) => {
      const r = m.routes;
      r.count = 5;
      r.source = Int32Array.of(-1, 0, 1, 2, 2);
      r.to_host = Uint8Array.of(0, 1, 1, 1, 0);
      r.origin = Int32Array.of(0, 0, 0, 1, 3);
      r.dest_ptr = Int32Array.of(0, 3, 6, 9, 12, 12);
      r.edge_ptr = Int32Array.of(0, 1, 2, 3, 4, 4);
    }],
    ['an origin at router 3, the mesh\'s last', (m) => (m.routes.origin[0] = 3)],
    ['an edge 3 → 3 on every link (31)', (m) => ((m.routes.edge_from[1] = 3), (m.routes.edge_to[1] = 3), (m.routes.edge_link[1] = 31))],
  ];
  it.each(accepted)('accepts %s', (...[, change]: Accepted) => {
    const map = fresh();
    change(map);
    expect(() => check(map)).not.toThrow();
  });
});

describe('routes: every source\'s route reaches exactly the cores holding its synapses', () => {
  const cases: Case[] = [
    // Decoder source 5 (no synapses on chip) given route 0, which ends at cores 0, 1, 2.
    ['a decoder source on the embedding\'s route', (m) => (m.routes.unit_route[5] = 0), 'the route of source 5 reaches core 0, which has no synapses from it'],
    // Source 2 (layer0 unit 0) without a route: core 0, the first listed, has its row.
    ['a source with synapses and no route', (m) => (m.routes.unit_route[2] = -1), 'core 0 has synapses from source 2, whose route does not reach it'],
    // Route 0 (sources 0, 1) without one of its cores: the first core listed holding source 0's row is refused.
    ['route 0 without core 2, the last it lists', (m) => dropDestination(m, 0, 2), 'core 2 has synapses from source 0, whose route does not reach it'],
    ['route 0 without core 0, the first it lists', (m) => dropDestination(m, 0, 0), 'core 0 has synapses from source 0, whose route does not reach it'],
    ['route 0 without core 1, the middle one', (m) => dropDestination(m, 0, 1), 'core 1 has synapses from source 0, whose route does not reach it'],
    // Route 3 serves source 4 only (unit 2).
    ['route 3 without core 2', (m) => dropDestination(m, 3, 2), 'core 2 has synapses from source 4, whose route does not reach it'],
    // Route 3 (source 4) without core 2, and a fifth route, used by no source, ending at core 2 only: dest_ptr
    // 0 3 6 9 11 12 over the same dest_core 0 1 2 | 0 1 2 | 0 1 2 | 0 1 | 2. Core 2 is the entry just past route 3's
    // list, which must not count.
    ['route 3 without core 2, the next route listing only core 2', (m) => {
      const r = m.routes;
      r.count = 5;
      r.source = Int32Array.of(-1, 0, 1, 2, 2);
      r.to_host = Uint8Array.of(0, 1, 1, 1, 0);
      r.origin = Int32Array.of(0, 0, 0, 1, 0);
      r.dest_ptr = Int32Array.of(0, 3, 6, 9, 11, 12);
      r.edge_ptr = Int32Array.of(0, 1, 2, 3, 4, 4);
    }, 'core 2 has synapses from source 4, whose route does not reach it'],
    // Source 0's row removed from core 2 (its 3 synapses, 15 → 12): route 0 still ends there.
    ['a core without the row its route brings', (m) => {
      const c = m.cores[2];
      c.row_source = c.row_source.subarray(1);
      c.row_ptr = c.row_ptr.subarray(1).map((p) => p - 3);
      const keep = Array.from(m.synapses.post.keys()).filter((k) => k < 6 || k > 8);
      m.synapses = { post: Uint8Array.from(keep, (k) => m.synapses.post[k]), weight: Float32Array.from(keep, (k) => m.synapses.weight[k]) };
    }, 'the route of source 0 reaches core 2, which has no synapses from it'],
  ];
  it.each(cases)('%s', (...[, change, message]: Case) => expect(refusal(change)).toBe(P + message));
});

describe('limits', () => {
  it('are the ones the messages above name', () => {
    expect(NMAP_LIMITS).toEqual({ slots: 16, planes: 32, chips: 65_536, routers: 16_777_216 });
    expect(MODEL_LIMITS.vocabSize).toBe(1_048_576);
  });
});

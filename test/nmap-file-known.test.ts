/**
 * compiler/nmap.ts worked by hand: every check the reader makes (nmapFromRecord, viewArrays, rowsWellFormed, the
 * oldest version read) handed something broken, the writer's byte layout, the synapse table's number types, the
 * lazily gathered per-core entries, and where each row sits in the synapse table.
 *
 * The valid map every negative test starts from is the hand-built EGRU of helpers/hand-egru.ts compiled for tiny
 * with the decoder on the host. Populations: embedding 2 units (sources 0–1, host), layer0 2 (sources 2–3),
 * layer1 2 (sources 4–5), decoder 3 (sources 6–8, host): 9 sources. Its only non-zero weights are layer 0's
 * W[input 0 → g of unit 0] = 3 and layer 1's W[input 0 → g of units 0 and 1] = 3, no recurrent ones; an on-chip
 * unit u has 4 accumulators, its g at 4u + 2. So:
 *   fp32 (native, planes 1): core 0 (layer0) one row, source 0 → post [2], weight [3];
 *                            core 1 (layer1) one row, source 2 → post [2, 6], weight [3, 3]. 3 synapses.
 *   binary spikes as bit-planes, --planes 2: every row once per plane:
 *                            core 0 rows (source 0, plane 0), (0, 1): row_ptr [0, 1, 2], post [2, 2];
 *                            core 1 rows (2, 0), (2, 1): row_ptr [0, 2, 4], post [2, 6, 2, 6]. 6 synapses.
 * The table orders rows by (source, plane, core): core 0's rows at 0 and 1, core 1's at 2 and 4.
 *
 * A record is broken after it is decoded (decodeContainer: the checksum and msgpack checks only, so the record
 * is still in the container's set of checksummed records) or, for a core's rows, in the body before it is packed.
 * requireLittleEndian cannot be tested here: it reads a module constant set from the machine's byte order at load,
 * and this machine (x86-64) is little-endian.
 */
import { compile } from '../compiler/pipeline';
import type { CompileOptions, Emitted } from '../compiler/ir';
import { nmapBody, nmapFromRecord, packNmap, synapseRowStarts, type NmapBody, type NmapCore } from '../compiler/nmap';
import { decodeContainer, type ContainerRecord } from '../models/container';
import type { LanguageModel } from '../models/model';
import { loadTarget } from '../targets/load';
import { errorOf } from './helpers/errors';
import { HAND_EGRU, handEgruParams } from './helpers/hand-egru';
import { handBuiltModel } from './fixtures/model';

const tiny = loadTarget('tiny');
const FILE = 'hand.nmap';
const INVALID = `${FILE} is not a valid compiled map: `;
const FP32: Partial<CompileOptions> = { arith: 'fp32' };
const PLANES: Partial<CompileOptions> = { arith: 'binary', binaryEncoding: true, planes: 2 };

function handModel(): LanguageModel {
  return handBuiltModel(HAND_EGRU, handEgruParams());
}
const handIr = (options: Partial<CompileOptions>): Emitted => compile(handModel(), tiny, { decoder: 'host', ...options });
const handBody = (options: Partial<CompileOptions>): NmapBody => nmapBody(handIr(options));
type IrCore = Emitted['cores'][number];
/** The IR (frozen) with its cores' fields changed: changes[i] for core i. */
const irWith = (ir: Emitted, ...changes: Partial<IrCore>[]): Emitted =>
  ({ ...ir, cores: ir.cores.map((c, i) => ({ ...c, ...changes[i] })) });
// any: a decoded record is free-form until nmapFromRecord has checked it; the tests break it by key path.
const recordOf = (body: NmapBody): any => decodeContainer(packNmap(body), FILE);
const load = (record: ContainerRecord) => nmapFromRecord(record, FILE);
const refusal = (record: ContainerRecord) => errorOf(() => load(record));
/** The body with core i's fields changed (its rows: packNmap writes no per-core post or weight). */
const withCore = (body: NmapBody, i: number, change: Partial<NmapCore>): NmapBody =>
  ({ ...body, cores: body.cores.map((c, k) => (k === i ? { ...c, ...change } : c)) });
const ints = (a: ArrayLike<number>) => Array.from(a);

/**
 * A record with no sections, only two arrays: a = Uint8Array [1, 2, 3] (3 bytes, padded to 8: offset 0) and
 * b = Int32Array [−1] (4 bytes at offset 8, padded to 8): a blob of 16 bytes. Its arrays are viewed before the
 * sections are looked for, so a reference the reader accepts ends in "missing compiler, …" and one it refuses in
 * "an array reference … is outside its blob".
 */
const SECTIONS = 'compiler, target, model, host, mesh, populations, projections, cores, synapses, routes, tables, summary';
function twoArrays(extra: Record<string, unknown> = {}) {
  const bytes = packNmap({ a: Uint8Array.of(1, 2, 3), b: Int32Array.of(-1), ...extra } as unknown as NmapBody);
  return { bytes, record: decodeContainer(bytes, FILE) as any };
}
const outside = (ref: unknown) => `${INVALID}an array reference (${JSON.stringify(ref)}) is outside its blob`;

describe('the base maps, as worked out by hand', () => {
  it('fp32: two cores of one row each, 3 synapses; bit-planes: two rows a core, 6', () => {
    const fp = handBody(FP32);
    expect(fp.populations.map((p) => p.size)).toEqual([2, 2, 2, 3]);
    expect(fp.cores.map((c) => [ints(c.row_source), c.row_plane, ints(c.row_ptr), ints(c.post), ints(c.weight)])).toEqual([
      [[0], null, [0, 1], [2], [3]],
      [[2], null, [0, 2], [2, 6], [3, 3]],
    ]);
    const bp = handBody(PLANES);
    expect(bp.compiler.planes).toBe(2);
    expect(bp.cores.map((c) => [ints(c.row_source), ints(c.row_plane!), ints(c.row_ptr), ints(c.post)])).toEqual([
      [[0, 0], [0, 1], [0, 1, 2], [2, 2]],
      [[2, 2], [0, 1], [0, 2, 4], [2, 6, 2, 6]],
    ]);
    expect(ints(bp.synapses.post)).toEqual([2, 2, 2, 6, 2, 6]);
    // On disk a core has no entries of its own.
    expect(recordOf(fp).cores.map((c: object) => ['post', 'weight'].filter((k) => k in c))).toEqual([[], []]);
    expect(() => load(recordOf(fp))).not.toThrow();
    expect(() => load(recordOf(bp))).not.toThrow();
  });
});

describe('reading: the header and the version', () => {
  it('refuses version 1 (arrays inline) and reads version 2 (no checksum)', () => {
    const old = recordOf(handBody(FP32));
    old.version = 1;
    expect(refusal(old)).toBe(`${FILE} is a compiled map in format version 1, which this neuromap no longer reads (it reads 2–3): compile the model again`);
    const two = recordOf(handBody(FP32));
    two.version = 2;
    expect(load(two).version).toBe(2);
  });

  it('refuses another format, a newer version, and a version-3 record that did not come with a checksum', () => {
    const other = recordOf(handBody(FP32));
    other.format = 'neuromap-egru';
    expect(refusal(other)).toBe(`${FILE} is not a compiled map (*.nmap): it is a 'neuromap-egru' file, expected 'neuromap-nmap'`);
    const newer = recordOf(handBody(FP32));
    newer.version = 4;
    expect(refusal(newer)).toBe(`${FILE} was written by a newer neuromap (format version 4, this one reads 3): upgrade neuromap`);
    const copied = { ...recordOf(handBody(FP32)) }; // not the record decodeContainer checked
    expect(refusal(copied)).toBe(`${FILE} is corrupt: a compiled map (*.nmap) of format version 3 ends with a checksum, and this one has none (truncated or damaged)`);
  });
});

describe('reading: the array blob (viewArrays)', () => {
  it('refuses a record without a blob of bytes: none, a string, a Uint16Array', () => {
    for (const blob of [undefined, 'bytes', new Uint16Array(8)]) {
      const { record } = twoArrays();
      if (blob === undefined) delete record.blob;
      else record.blob = blob;
      expect(refusal(record)).toBe(`${INVALID}missing its array blob`);
    }
  });

  it('views a = [1, 2, 3] at byte 0 and b = [−1] at byte 8 of the blob, in place, and drops blob and pad', () => {
    const { bytes, record } = twoArrays();
    const blobAt = record.blob.byteOffset - bytes.byteOffset; // 128 (see the writer's layout below)
    expect(refusal(record)).toBe(`${INVALID}missing ${SECTIONS}`);
    expect(record.a).toBeInstanceOf(Uint8Array);
    expect(ints(record.a)).toEqual([1, 2, 3]);
    expect(record.b).toBeInstanceOf(Int32Array);
    expect(ints(record.b)).toEqual([-1]);
    // Views of the very bytes read, no copy.
    expect(record.a.buffer).toBe(bytes.buffer);
    expect([record.a.byteOffset - bytes.byteOffset, record.b.byteOffset - bytes.byteOffset]).toEqual([blobAt, blobAt + 8]);
    expect(blobAt).toBe(128);
    expect(Object.keys(record)).toEqual(['format', 'version', 'a', 'b']);
  });

  it('copies the blob only when its bytes are not 8-byte aligned in memory (a small file in a shared pool)', () => {
    const { bytes } = twoArrays();
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    const record = decodeContainer(shifted.subarray(1), FILE) as any;
    expect(refusal(record)).toBe(`${INVALID}missing ${SECTIONS}`);
    expect(ints(record.b)).toEqual([-1]); // an Int32Array at byte 129 of `shifted` could not be made: a copy
    expect(record.b.buffer).not.toBe(shifted.buffer);
  });

  it('accepts references that end exactly at the blob end (16 bytes)', () => {
    // Int32Array at 8 of length 2: bytes 8–15; Float64Array at 8 of length 1: 8–15; Uint8Array at 0 of 16; at 16 of 0.
    const accepted: [string, number, number][] = [['Int32Array', 8, 2], ['Float64Array', 8, 1], ['Uint8Array', 0, 16], ['Uint8Array', 16, 0], ['Uint8Array', 8, 2]];
    for (const [typed, offset, length] of accepted) {
      const { record } = twoArrays();
      record.b = { typed, offset, length };
      expect(refusal(record)).toBe(`${INVALID}missing ${SECTIONS}`);
      expect(record.b.constructor.name).toBe(typed);
      expect(record.b.length).toBe(length);
    }
  });

  it('refuses a reference outside its blob: each way, exactly', () => {
    const refused: unknown[] = [
      { typed: 'Int32Array', offset: 8, length: 3 }, //   ends at 8 + 12 = 20 > 16
      { typed: 'Float64Array', offset: 8, length: 2 }, // ends at 8 + 16 = 24 > 16 (a Uint8Array of 2 there fits)
      { typed: 'Uint8Array', offset: 16, length: 1 }, //  ends at 17 > 16
      { typed: 'BigInt64Array', offset: 0, length: 1 }, // a typed array the format does not hold
      { typed: 'toString', offset: 0, length: 1 }, //     a name on Object.prototype, not a type
      { typed: 'Uint8Array', offset: -8, length: 1 }, //  negative (and a multiple of 8)
      { typed: 'Uint8Array', offset: 0, length: -1 },
      { typed: 'Uint8Array', offset: 0, length: 1.5 }, // non-integer length
      { typed: 'Uint8Array', offset: 0, length: null }, // null would pass offset + length ≤ 16 as 0
      { typed: 'Uint8Array', offset: null, length: 1 },
      { typed: 'Uint8Array', offset: 4, length: 1 }, //   not on an 8-byte boundary
    ];
    for (const ref of refused) {
      const { record } = twoArrays();
      record.b = ref;
      expect(refusal(record)).toBe(outside(ref));
    }
  });

  it('leaves alone objects that are not references: a fourth key, or `typed` not a string', () => {
    const four = { typed: 'Uint8Array', offset: 0, length: 3, unit: 'bytes' };
    const numbered = { typed: 7, offset: 0, length: 3 };
    const { record } = twoArrays({ four, numbered });
    expect(refusal(record)).toBe(`${INVALID}missing ${SECTIONS}`);
    expect(record.four).toEqual(four);
    expect(record.numbered).toEqual(numbered);
  });
});

describe('reading: sections, lists and the synapse table (nmapFromRecord)', () => {
  it('names each missing section (undefined or null), several in the order of the list', () => {
    for (const name of SECTIONS.split(', ')) {
      const gone = recordOf(handBody(FP32));
      delete gone[name];
      expect(refusal(gone)).toBe(`${INVALID}missing ${name}`);
    }
    const nulled = recordOf(handBody(FP32));
    nulled.routes = null;
    expect(refusal(nulled)).toBe(`${INVALID}missing routes`);
    const two = recordOf(handBody(FP32));
    delete two.summary;
    delete two.compiler;
    expect(refusal(two)).toBe(`${INVALID}missing compiler, summary`);
  });

  it('checks the target it carries', () => {
    const record = recordOf(handBody(FP32));
    record.target = { name: 'broken' };
    expect(refusal(record)).toContain(`${FILE} (its target)`);
  });

  it('refuses cores, populations or projections that are not lists of maps', () => {
    for (const key of ['cores', 'populations', 'projections']) {
      const record = recordOf(handBody(FP32));
      record[key] = { 0: record[key][0], length: 1 };
      expect(refusal(record)).toBe(`${INVALID}its ${key} must be a list of maps`);
      // A list holding null, once a TypeError deep in the reader ("Cannot destructure property 'row_source'").
      const holed = recordOf(handBody(FP32));
      holed[key] = [...holed[key], null];
      expect(refusal(holed)).toBe(`${INVALID}its ${key} must be a list of maps`);
    }
  });

  it('refuses any other section that is not a map, and a model without a config map', () => {
    for (const [key, value] of [['model', 5], ['summary', []], ['synapses', new Uint8Array(2)], ['compiler', 'fp32'], ['routes', true]] as const) {
      const record = recordOf(handBody(FP32));
      record[key] = value;
      expect(refusal(record)).toBe(`${INVALID}its ${key} must be a map`);
    }
    const record = recordOf(handBody(FP32));
    record.model = { name: 'm', vocab: record.model.vocab };
    expect(refusal(record)).toBe(`${INVALID}its model has no config map`);
  });

  it('refuses a synapse table whose post or weight is not an array, or whose lengths differ', () => {
    const breaks: ((s: any) => void)[] = [
      (s) => (s.post = [2, 2, 6]),
      (s) => (s.weight = [3, 3, 3]),
      (s) => (s.weight.length = 2), // the reference: a Float32Array of 2 beside post's 3
      (s) => (s.post.length = 2),
    ];
    for (const change of breaks) {
      const record = recordOf(handBody(FP32));
      change(record.synapses);
      expect(refusal(record)).toBe(`${INVALID}its synapse table is malformed`);
    }
  });

  it("refuses a table that holds more or fewer synapses than the cores' rows (6 on the bit-plane map)", () => {
    const body = handBody(PLANES);
    const { post, weight } = body.synapses;
    const shorter = { ...body, synapses: { post: post.subarray(1), weight: weight.subarray(1) } };
    expect(refusal(recordOf(shorter))).toBe(`${INVALID}its cores' rows hold 6 synapses, its synapse table 5`);
    const longer = { ...body, synapses: { post: Uint8Array.of(...post, 2), weight: Int8Array.of(...(weight as Int8Array), 1) } };
    expect(refusal(recordOf(longer))).toBe(`${INVALID}its cores' rows hold 6 synapses, its synapse table 7`);
  });
});

describe('reading: each core\'s rows (rowsWellFormed), on the bit-plane map (9 sources, planes 2)', () => {
  const malformed = (i: number) => `${INVALID}core map ${i} (core ${i}) has malformed synapse rows`;
  const cases: [string, number, Partial<NmapCore>][] = [
    ['row_ptr one short (2 rows need 3)', 0, { row_ptr: Int32Array.of(0, 1) }],
    ['row_ptr one long', 0, { row_ptr: Int32Array.of(0, 1, 2, 2) }],
    ['row_ptr[0] = 1 ([1, 2, 4]: 5 entries, else it would be refused as 5 against the table\'s 6)', 1, { row_ptr: Int32Array.of(1, 2, 4) }],
    ['row_ptr decreasing ([0, 5, 4]: starts at 0, ends at 4 as before)', 1, { row_ptr: Int32Array.of(0, 5, 4) }],
    ['source −1', 0, { row_source: Int32Array.of(-1, 0) }],
    ['source 9 (= the 9 sources)', 0, { row_source: Int32Array.of(0, 9) }],
    ['plane 2 (= planes)', 0, { row_plane: Uint8Array.of(0, 2) }],
    ['row_plane one short', 0, { row_plane: Uint8Array.of(0) }],
    ['row_plane one long', 0, { row_plane: Uint8Array.of(0, 1, 1) }],
    ['row_plane not bytes', 0, { row_plane: Int32Array.of(0, 1) as unknown as Uint8Array }],
    ['row_source not Int32Array', 0, { row_source: Uint32Array.of(0, 0) as unknown as Int32Array }],
    ['row_ptr not Int32Array', 1, { row_ptr: Uint32Array.of(0, 2, 4) as unknown as Int32Array }],
  ];
  it.each(cases)('%s', (_, i, change) => {
    expect(refusal(recordOf(withCore(handBody(PLANES), i, change)))).toBe(malformed(i));
  });

  it('accepts an empty row (row_ptr [0, 0, 4]: equal neighbours) and the last plane (1)', () => {
    const map = load(recordOf(withCore(handBody(PLANES), 1, { row_ptr: Int32Array.of(0, 0, 4) })));
    // Core 1's rows now hold 0 and 4 entries: the table's 2, 6, 2, 6 from place 2 on all go to its plane-1 row.
    expect(ints(map.cores[1].post)).toEqual([2, 6, 2, 6]);
    expect(ints(map.cores[0].row_plane!)).toEqual([0, 1]);
  });

  it('a source in range that the route does not feed (8, the last) passes this check and fails the structural one', () => {
    const message = refusal(recordOf(withCore(handBody(PLANES), 0, { row_source: Int32Array.of(0, 8) })));
    expect(message).toBe(`${INVALID}core 0 has synapses from source 8, whose route does not reach it`);
  });
});

describe('writing: packNmap', () => {
  it('lays out a two-array record by hand: the blob at byte 128, a at 0 (3 bytes padded to 8), b at 8', () => {
    // msgpack bytes (msgpackr writes every object as a map16, de 00 03):
    //   87 (a fixmap of 7: format, version, a, b, pad, blob, checksum)                      1
    //   "format" 7 + "neuromap-nmap" 14, "version" 8 + 3 (a fixint) 1                       30 → 31
    //   "a" 2 + de 00 03, "typed" 6 + "Uint8Array" 11, "offset" 7 + 0 1, "length" 7 + 3 1  38 → 69
    //   "b" 2 + the same with "Int32Array", 8 and 1                                         38 → 107
    //   "pad" 4 + c4 <n> 2, "blob" 5 + c6 <4-byte length> 5                                  16 → 123
    // The blob starts at the next multiple of 64, 128, so the pad is 5 zero bytes. Blob: 8 + 8 = 16 bytes.
    // Then the checksum field, 18 bytes: 128 + 16 + 18 = 162 bytes in all.
    const { bytes, record } = twoArrays();
    expect(bytes.length).toBe(162);
    expect(bytes[0]).toBe(0x87);
    expect(record.a).toEqual({ typed: 'Uint8Array', offset: 0, length: 3 });
    expect(record.b).toEqual({ typed: 'Int32Array', offset: 8, length: 1 });
    expect(ints(record.pad)).toEqual([0, 0, 0, 0, 0]);
    expect([bytes[123], bytes.readUInt32BE(124)]).toEqual([0xc6, 16]);
    expect(ints(bytes.subarray(128, 144))).toEqual([1, 2, 3, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);
    expect(record.blob.byteOffset - bytes.byteOffset).toBe(128);
  });

  it('pads nothing when the head already ends on a 64-byte boundary, 63 bytes when it ends one past', () => {
    // A string field s of 65 characters (a str8: 2 + 65 bytes) with its key "s" (2): 123 + 69 = 192 = 3 · 64.
    const exact = twoArrays({ s: 'x'.repeat(65) });
    expect(ints(exact.record.pad)).toEqual([]);
    expect(exact.record.blob.byteOffset - exact.bytes.byteOffset).toBe(192);
    expect(exact.bytes.length).toBe(192 + 16 + 18);
    // s = "xyz" (a fixstr: 1 + 3) with its key (2): 123 + 6 = 129, so 63 bytes of pad to 192 (a 32-byte
    // alignment would have stopped at 160).
    const past = twoArrays({ s: 'xyz' });
    expect(ints(past.record.pad)).toEqual(new Array(63).fill(0));
    expect(past.record.blob.byteOffset - past.bytes.byteOffset).toBe(192);
    expect(past.bytes.length).toBe(192 + 16 + 18);
  });

  it('writes the map header as a fixmap up to 15 fields, a map16 from 16 (and its high byte from 256)', () => {
    const fields = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, i]));
    // n body fields + format, version, pad, blob, checksum.
    const head = (n: number) => ints(packNmap(fields(n) as unknown as NmapBody).subarray(0, 3));
    expect(head(10)[0]).toBe(0x8f); // 15
    expect(head(11)).toEqual([0xde, 0x00, 0x10]); // 16
    expect(head(254)).toEqual([0xde, 0x01, 0x03]); // 259 = 0x103
    const record = decodeContainer(packNmap(fields(254) as unknown as NmapBody), FILE);
    expect(Object.keys(record)).toHaveLength(2 + 254 + 2); // checksum dropped after checking
    expect(record.f253).toBe(253);
  });

  it('refuses an array type the format does not hold', () => {
    expect(() => packNmap({ big: new BigInt64Array(1) } as unknown as NmapBody)).toThrow('a compiled map cannot hold a BigInt64Array');
  });
});

describe('writing: the record body (nmapBody)', () => {
  it('places cores on routers chip · width · height + y · width + x of tiny\'s 2 × 2 mesh', () => {
    // Core 0 moved to chip 1, x 1, y 0: router 1 · 4 + 0 · 2 + 1 = 5; core 1 to chip 0, x 0, y 1: 0 + 2 + 0 = 2.
    const body = nmapBody(irWith(handIr({ ...FP32, chips: 2 }), { chip: 1, x: 1, y: 0 }, { chip: 0, x: 0, y: 1 }));
    expect(body.cores.map((c) => [c.core, c.chip, c.x, c.y, c.router])).toEqual([[0, 1, 1, 0, 5], [1, 0, 0, 1, 2]]);
    expect(body.mesh).toEqual({ width: 2, height: 2, groups_per_chip: 4, cores_per_group: 2, cores_per_chip: 8, chips: 2 });
    expect(body.host).toMatchObject({ router: 0, chip: 0, x: 0, y: 0 });
    expect(ints(body.host.embedding)).toEqual([1, 0, 0, 1, 0, 0]);
  });

  it('populations: layer, first source, slices; projections: synapses on chip, bits and scale (int8)', () => {
    // int8: q = round(w / scale), the scale the smallest power of two ≥ max |w| / 127 = 3 / 127 = 0.0236: 1/32,
    // so every weight 3 is stored as 96. The recurrent kernels are all zero: scale 1. The decoder is on the host:
    // no synapses, and no quantised weights (32 bits, scale 1).
    const body = handBody({ arith: 'int8' });
    expect(body.populations.map((p) => [p.name, p.layer, p.source_base, ints(p.slice_start), ints(p.slice_core)])).toEqual([
      ['embedding', null, 0, [], []],
      ['layer0', 0, 2, [0], [0]],
      ['layer1', 1, 4, [0], [1]],
      ['decoder', null, 6, [], []],
    ]);
    expect(body.projections.map((q) => [q.name, q.where, q.synapses, q.weight_bits, q.weight_scale])).toEqual([
      ['layer0.input', 'chip', 1, 8, 1 / 32],
      ['layer0.recurrent', 'chip', 0, 8, 1],
      ['layer1.input', 'chip', 2, 8, 1 / 32],
      ['layer1.recurrent', 'chip', 0, 8, 1],
      ['decoder', 'host', 0, 32, 1],
    ]);
    expect(body.synapses.weight).toBeInstanceOf(Int8Array);
    expect(ints(body.synapses.weight)).toEqual([96, 96, 96]);
    const map = load(recordOf(body));
    expect(map.cores.map((c) => [c.weight.constructor.name, ints(c.weight)])).toEqual([['Int8Array', [96]], ['Int8Array', [96, 96]]]);
  });

  it('records --cores (null without it) and the summary it is given (or its own), with its diagnostics', () => {
    const own = handBody(FP32);
    expect(own.compiler.cores).toBeNull();
    expect(own.summary).toMatchObject({ cores_used: 2, synapses: 3, stored_synapses: 3 });
    expect(own.diagnostics).toBe(own.summary.diagnostics);
    expect(handBody({ ...FP32, strategy: 'balance', cores: 2 }).compiler.cores).toBe(2);
    const ir = handIr(FP32);
    const summary = { diagnostics: ['given'] } as unknown as Parameters<typeof nmapBody>[1] & object;
    const body = nmapBody(ir, summary);
    expect([body.summary, body.diagnostics]).toEqual([summary, ['given']]);
    expect(body.summary).toBe(summary);
  });
});

describe('writing: the synapse table (nmapBody)', () => {
  // The fp32 map's rows: core 0 source 0 → [2], core 1 source 2 → [2, x]; the table holds them in that order.
  const tableWith = (post1: Uint8Array | Uint16Array | Uint32Array) => {
    return nmapBody(irWith(handIr(FP32), {}, { post: post1 })).synapses.post;
  };

  it('stores post as Uint8Array up to 255, Uint16Array from 256 to 65535, Uint32Array from 65536', () => {
    const cases: [Uint8Array | Uint16Array | Uint32Array, string][] = [
      [Uint8Array.of(2, 255), 'Uint8Array'],
      [Uint16Array.of(2, 256), 'Uint16Array'],
      [Uint16Array.of(2, 65535), 'Uint16Array'],
      [Uint32Array.of(2, 65536), 'Uint32Array'],
    ];
    for (const [post1, type] of cases) {
      const post = tableWith(post1);
      expect(post.constructor.name).toBe(type);
      expect(ints(post)).toEqual([2, 2, post1[1]]);
    }
  });

  it('chooses the weight type from the cores that hold synapses; none: Uint8Array and Float32Array of 0', () => {
    // Core 0 keeps its row but empties it, and holds an Int8Array of no weights: ignored.
    const empty0: Partial<IrCore> = { rowPtr: Int32Array.of(0, 0), post: new Uint8Array(0), weight: new Int8Array(0) };
    const table = nmapBody(irWith(handIr(FP32), empty0)).synapses;
    expect(table.weight).toBeInstanceOf(Float32Array);
    expect(ints(table.weight)).toEqual([3, 3]);
    const empty1: Partial<IrCore> = { rowPtr: Int32Array.of(0, 0), post: new Uint8Array(0), weight: new Float32Array(0) };
    const none = nmapBody(irWith(handIr(FP32), empty0, empty1)).synapses;
    expect([none.post.constructor.name, none.post.length, none.weight.constructor.name, none.weight.length]).toEqual(['Uint8Array', 0, 'Float32Array', 0]);
  });

  it('refuses cores whose weights are stored in different number types', () => {
    const ir = irWith(handIr(FP32), { weight: Int8Array.of(3) });
    expect(() => nmapBody(ir)).toThrow(new Error('the cores store their weights in different number types'));
  });

  it('orders rows by (source, plane, core id), whatever the order cores are listed in', () => {
    // The bit-plane IR with two hand-made cores, listed as core 5 then core 3 (9 sources, planes 2):
    //   core 5: rows (source 0, plane 1) 2 entries [10, 11], (0, 0) 1 [12], (8, 0) 1 [13]
    //   core 3: rows (0, 0) 1 [20], (1, 1) 3 [21, 22, 23], (0, 1) 2 [24, 25], (1, 0) 1 [26]
    // Table: (0,0): core 3's 20 at 0, core 5's 12 at 1; (0,1): core 3's 24 25 at 2–3, core 5's 10 11 at 4–5;
    // (1,0): core 3's 26 at 6; (1,1): core 3's 21 22 23 at 7–9; (2,0) … (7,1): none; (8,0): core 5's 13 at 10.
    // (Were planes taken as 1, (0, 1) and (1, 0) would share a key and core 3's 26 would come before core 5's 10.)
    // (Source 8, the last, keys the count of (8, 0) at 8 · 2 + 0 = 16: the counts take 9 · 2 + 1 = 19 places.)
    const ir = irWith(handIr(PLANES), {
      core: 5, rowSource: Int32Array.of(0, 0, 8), rowPlane: Uint8Array.of(1, 0, 0), rowPtr: Int32Array.of(0, 2, 3, 4),
      post: Uint8Array.of(10, 11, 12, 13), weight: Int8Array.of(10, 11, 12, 13),
    }, {
      core: 3, rowSource: Int32Array.of(0, 1, 0, 1), rowPlane: Uint8Array.of(0, 1, 1, 0), rowPtr: Int32Array.of(0, 1, 4, 6, 7),
      post: Uint8Array.of(20, 21, 22, 23, 24, 25, 26), weight: Int8Array.of(20, 21, 22, 23, 24, 25, 26),
    });
    const body = nmapBody(ir);
    expect(ints(body.synapses.post)).toEqual([20, 12, 24, 25, 10, 11, 26, 21, 22, 23, 13]);
    expect(ints(body.synapses.weight)).toEqual([20, 12, 24, 25, 10, 11, 26, 21, 22, 23, 13]);
    // The same places, row by row, from synapseRowStarts (cores as listed: core 5, then core 3).
    expect(synapseRowStarts(body).map(ints)).toEqual([[4, 1, 10], [0, 7, 2, 6]]);
  });
});

describe('synapseRowStarts on hand-built cores', () => {
  const sized = (sizes: number[]) => sizes.map((size) => ({ size })) as unknown as NmapBody['populations'];
  const core = (id: number, source: number[], plane: number[] | null, ptr: number[]) =>
    ({ core: id, row_source: Int32Array.from(source), row_plane: plane && Uint8Array.from(plane), row_ptr: Int32Array.from(ptr) }) as NmapCore;
  const table = (n: number) => ({ post: new Uint8Array(n), weight: new Float32Array(n) });

  it('two cores sharing source 0, planes 2, listed out of id order', () => {
    // Populations of 1 and 8 units: 9 sources, planes 2. Cores listed as core 5, then core 3:
    //   core 5 rows: r0 (source 0, plane 1) 2 entries, r1 (0, 0) 1, r2 (8, 0) 1
    //   core 3 rows: r0 (0, 0) 1, r1 (1, 1) 3, r2 (0, 1) 2, r3 (1, 0) 1
    // Entries per (source, plane), in order: (0,0) 1 + 1, (0,1) 2 + 2, (1,0) 1, (1,1) 3, (8,0) 1: 11 in all.
    // Within a (source, plane), the lower core id first:
    //   (0,0): core 3 r0 at 0, core 5 r1 at 1;   (0,1): core 3 r2 at 2 (2 entries), core 5 r0 at 4 (2 entries);
    //   (1,0): core 3 r3 at 6;   (1,1): core 3 r1 at 7 (3 entries);   (8,0): core 5 r2 at 10.
    // So core 5's rows start at [4, 1, 10], core 3's at [0, 7, 2, 6]; listed the other way round, the same per core.
    const map = {
      compiler: { planes: 2 } as NmapBody['compiler'], populations: sized([1, 8]), synapses: table(11),
      cores: [core(5, [0, 0, 8], [1, 0, 0], [0, 2, 3, 4]), core(3, [0, 1, 0, 1], [0, 1, 1, 0], [0, 1, 4, 6, 7])],
    };
    const starts = synapseRowStarts(map);
    expect(starts.map(ints)).toEqual([[4, 1, 10], [0, 7, 2, 6]]);
    expect(synapseRowStarts(map)).toBe(starts); // once per map (per synapse table)
    expect(synapseRowStarts({ ...map, synapses: table(11), cores: [map.cores[1], map.cores[0]] }).map(ints)).toEqual([[0, 7, 2, 6], [4, 1, 10]]);
  });

  it('native rows (no planes); a map that says planes 0 counts as 1 plane', () => {
    // Sources 0–2. core 1: (source 2) 2 entries, (0) 1; core 0: (0) 3, (1) 1.
    // Table: source 0: core 0's 3 at 0–2, core 1's 1 at 3; source 1: core 0's at 4; source 2: core 1's 2 at 5–6.
    for (const planes of [1, 0]) {
      const map = {
        compiler: { planes } as NmapBody['compiler'], populations: sized([3]), synapses: table(7),
        cores: [core(1, [2, 0], null, [0, 2, 3]), core(0, [0, 1], null, [0, 3, 4])],
      };
      expect(synapseRowStarts(map).map(ints)).toEqual([[5, 3], [0, 4]]);
    }
  });
});

describe('reading: round trip and lazily gathered entries', () => {
  it.each([['fp32', FP32], ['bit-planes', PLANES]] as const)('%s: every core gets back its post and weight exactly', (_, options) => {
    const body = handBody(options);
    const map = load(recordOf(body));
    map.cores.forEach((c, i) => {
      expect(c.post.constructor).toBe(Uint8Array);
      expect(ints(c.post)).toEqual(ints(body.cores[i].post));
      expect(c.weight.constructor).toBe(body.cores[i].weight.constructor);
      expect(ints(c.weight)).toEqual(ints(body.cores[i].weight));
    });
    if (options === FP32) expect(map.cores.map((c) => [ints(c.post), ints(c.weight)])).toEqual([[[2], [3]], [[2, 6], [3, 3]]]);
    else expect(map.cores.map((c) => ints(c.post))).toEqual([[2, 2], [2, 6, 2, 6]]);
  });

  it('lists post and weight before they are read, then holds them as plain writable values', () => {
    const map = load(recordOf(handBody(FP32)));
    const c = map.cores[1];
    expect(Object.keys(c)).toEqual(expect.arrayContaining(['post', 'weight']));
    expect(Object.getOwnPropertyDescriptor(c, 'post')!.get).toBeDefined();
    expect(ints(c.weight)).toEqual([3, 3]); // gathers both
    for (const key of ['post', 'weight'] as const) {
      const d = Object.getOwnPropertyDescriptor(c, key)!;
      expect([d.get, d.enumerable, d.writable, d.configurable]).toEqual([undefined, true, true, true]);
    }
    expect(ints(c.post)).toEqual([2, 6]);
    c.post = Uint8Array.of(1, 1);
    expect(ints(c.post)).toEqual([1, 1]);
  });

  it('reading post after assigning weight gathers post and keeps the assigned weight', () => {
    const map = load(recordOf(handBody(FP32)));
    const c = map.cores[1];
    c.weight = Float32Array.of(9, 9);
    expect(ints(c.post)).toEqual([2, 6]);
    expect(ints(c.weight)).toEqual([9, 9]);
  });

  it('assigning post before it is ever read keeps the assigned value, weight still gathered', () => {
    const map = load(recordOf(handBody(PLANES)));
    const c = map.cores[1];
    c.post = Uint8Array.of(7, 7, 7, 7);
    expect(ints(c.weight)).toEqual(ints(handBody(PLANES).cores[1].weight));
    expect(ints(c.post)).toEqual([7, 7, 7, 7]);
  });
});

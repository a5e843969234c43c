/**
 * models/container.ts, known answers: the exact bytes packContainer writes, every message decodeContainer and
 * checkHeader give (empty, not msgpack, no format, a bad version, a newer version, another format, a checksum that
 * does not match, a checksum missing from a version that has one), isPlainObject's verdicts, and checkOneRealm's
 * refusal of a typed array from another JavaScript realm (made with node's `vm` module).
 *
 * The bytes of the test kind's record { format: 'x', version: 2, a: 1 } were worked out by hand from the msgpack
 * spec: de 00 04 (a map of 4: msgpackr always writes a map16 header for an object), a6 "format" a1 "x", a7 "version" 02, a1 "a" 01, a8 "checksum" a8 <8 hex digits>.
 * The digits are the CRC-32 of every byte before them, computed outside neuromap with Python's zlib.crc32:
 *   de0004a6666f726d6174a178a776657273696f6e02a16101a8636865636b73756da8 -> 046e46d9
 *   the same with a's value 02 instead of 01                                -> 9d8c20d8
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vm from 'vm';
import { Packr } from 'msgpackr';
import { checkHeader, decodeContainer, isPlainObject, openContainer, packContainer, readContainer, type ContainerKind } from '../models/container';
import { UserError } from '../models/config';
import { errorOf } from './helpers/errors';
import { useTempDir } from './fixtures/tmp';

const KIND: ContainerKind = { format: 'x', version: 3, noun: 'test file', checksumSince: 2 };
const BODY_HEX = 'de0004a6666f726d6174a178a776657273696f6e02a16101a8636865636b73756da8';
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const ascii = (s: string): string => Buffer.from(s, 'latin1').toString('hex');
// Plain msgpack with no checksum tail, as a file of an older format version was written.
const plain = new Packr({ useRecords: false });
const tmp = useTempDir();

describe('packContainer: the exact bytes', () => {
  it('puts format and version first, drops the body\'s own checksum and ends with the sealed checksum', () => {
    const bytes = packContainer({ ...KIND, version: 2 }, { checksum: 'ffffffff', a: 1 });
    expect(hex(bytes)).toBe(BODY_HEX + ascii('046e46d9'));
  });

  it('a body without a checksum field gives the same bytes', () => {
    const bytes = packContainer({ ...KIND, version: 2 }, { a: 1 });
    expect(hex(bytes)).toBe(BODY_HEX + ascii('046e46d9'));
  });

  it('packs strings, nulls and same-realm typed arrays and DataViews (none of them refused as foreign)', () => {
    const record = decodeContainer(
      packContainer(KIND, { s: 'ab', n: null, f: Float32Array.of(1.5), d: new DataView(Uint8Array.of(7, 9).buffer) }),
      'f',
    );
    expect(record.s).toBe('ab');
    expect(record.n).toBeNull();
    expect(record.f).toBeInstanceOf(Float32Array);
    expect([...(record.f as Float32Array)]).toEqual([1.5]);
    expect(record.d).toBeInstanceOf(DataView);
    expect((record.d as DataView).getUint8(1)).toBe(9);
  });
});

describe('packContainer: the header is the kind\'s alone', () => {
  it('a body field named format or version throws a programming error naming it (not a UserError), even when falsy', () => {
    // Before, { version: 1 } was spread after the kind's header and silently wrote a version-1 file of kind x.
    for (const [field, value] of [['format', 'y'], ['version', 1], ['version', 0], ['format', undefined]] as const) {
      let caught: unknown;
      try {
        packContainer(KIND, { a: 1, [field]: value });
      } catch (err) {
        caught = err;
      }
      expect(caught).toEqual(new Error(`packContainer: the body has its own \`${field}\` field; the header's comes from the kind (x version 3)`));
      expect(caught).not.toBeInstanceOf(UserError);
    }
  });

  it('a body whose prototype has a format field is packed as usual (only own fields are copied)', () => {
    const body = Object.assign(Object.create({ format: 'y' }) as Record<string, unknown>, { a: 1 });
    expect(hex(packContainer({ ...KIND, version: 2 }, body))).toBe(BODY_HEX + ascii('046e46d9'));
  });
});

describe('checkOneRealm (via packContainer): a typed array from another realm is refused by its path', () => {
  it('at the top level', () => {
    const foreign = vm.runInNewContext('new Float32Array(2)');
    expect(() => packContainer(KIND, { w: foreign })).toThrow(
      new Error('record.w is a Float32Array from another JavaScript realm; msgpackr cannot pack it'),
    );
  });

  it('deep inside objects and arrays, and a DataView as well', () => {
    const foreign = vm.runInNewContext('new Uint8Array(1)');
    expect(() => packContainer(KIND, { state: { layers: [1, foreign] } })).toThrow(
      new Error('record.state.layers.1 is a Uint8Array from another JavaScript realm; msgpackr cannot pack it'),
    );
    const view = vm.runInNewContext('new DataView(new ArrayBuffer(2))');
    expect(() => packContainer(KIND, { v: view })).toThrow(
      new Error('record.v is a DataView from another JavaScript realm; msgpackr cannot pack it'),
    );
  });
});

describe('decodeContainer: what every neuromap file must be', () => {
  it('an intact sealed file decodes without its checksum field and passes checkHeader', () => {
    const record = decodeContainer(Buffer.from(BODY_HEX + ascii('046e46d9'), 'hex'), 'f.x');
    expect(record).toEqual({ format: 'x', version: 2, a: 1 });
    expect(Object.keys(record)).toEqual(['format', 'version', 'a']);
    expect(() => checkHeader(record, 'f.x', KIND)).not.toThrow();
  });

  it('a sealed file whose stored and computed checksums differ is corrupt', () => {
    // a's value changed from 01 to 02 after sealing: stored 046e46d9, computed 9d8c20d8.
    const bytes = Buffer.from(BODY_HEX.replace('a16101', 'a16102') + ascii('046e46d9'), 'hex');
    expect(errorOf(() => decodeContainer(bytes, 'f.x'))).toBe(
      'f.x is corrupt: its checksum is 046e46d9 and its content\'s is 9d8c20d8 (changed or damaged since it was written)',
    );
  });

  it('empty', () => {
    expect(errorOf(() => decodeContainer(new Uint8Array(0), 'f.x', 'test file'))).toBe('f.x is empty (0 bytes), so it is not a test file');
    expect(errorOf(() => decodeContainer(new Uint8Array(0), 'f.x'))).toBe('f.x is empty (0 bytes), so it is not a neuromap file');
  });

  it('truncated msgpack (a5: a string of 5 bytes, and only 1 follows)', () => {
    // The words in brackets are msgpackr's own message.
    expect(errorOf(() => decodeContainer(Uint8Array.of(0xa5, 0x61), 'f.x', 'test file'))).toBe(
      'f.x is not a test file: it is truncated, corrupt or not msgpack at all (Unexpected end of MessagePack data)',
    );
  });

  it('msgpack that is not a map with a string format', () => {
    const message = 'f.x is not a test file: it is msgpack data without a `format` field';
    for (const value of [[1], 'x', null, 5, { version: 2 }, { format: 1, version: 2 }, Uint8Array.of(1)])
      expect(errorOf(() => decodeContainer(plain.pack(value), 'f.x', 'test file'))).toBe(message);
  });

  it('a version that is not a positive integer', () => {
    const cases: [unknown, string][] = [[0, '0'], [1.5, '1.5'], ['1', '"1"'], [-1, '-1'], [undefined, 'undefined']];
    for (const [version, shown] of cases)
      expect(errorOf(() => decodeContainer(plain.pack({ format: 'x', version }), 'f.x'))).toBe(
        `f.x is corrupt: its format version ${shown} is not a positive integer`,
      );
    // 1 is the lowest version there is.
    expect(decodeContainer(plain.pack({ format: 'x', version: 1 }), 'f.x')).toEqual({ format: 'x', version: 1 });
  });
});

describe('checkHeader: the expected kind, in a version this build reads', () => {
  it('another format', () => {
    const record = decodeContainer(packContainer({ ...KIND, format: 'y' }, {}), 'f.x');
    expect(errorOf(() => checkHeader(record, 'f.x', KIND))).toBe("f.x is not a test file: it is a 'y' file, expected 'x'");
  });

  it('a newer version is refused; the version this build writes is read', () => {
    const newer = decodeContainer(packContainer({ ...KIND, version: 4 }, {}), 'f.x');
    expect(errorOf(() => checkHeader(newer, 'f.x', KIND))).toBe(
      'f.x was written by a newer neuromap (format version 4, this one reads 3): upgrade neuromap',
    );
    const same = decodeContainer(packContainer(KIND, {}), 'f.x');
    expect(() => checkHeader(same, 'f.x', KIND)).not.toThrow();
  });

  it('an unsealed file from checksumSince on is refused; one below loads unchecked', () => {
    const at = decodeContainer(plain.pack({ format: 'x', version: 2 }), 'f.x');
    expect(errorOf(() => checkHeader(at, 'f.x', KIND))).toBe(
      'f.x is corrupt: a test file of format version 2 ends with a checksum, and this one has none (truncated or damaged)',
    );
    const above = decodeContainer(plain.pack({ format: 'x', version: 3 }), 'f.x');
    expect(errorOf(() => checkHeader(above, 'f.x', KIND))).toMatch(/format version 3 ends with a checksum/);
    const below = decodeContainer(plain.pack({ format: 'x', version: 1, a: 1 }), 'f.x');
    expect(() => checkHeader(below, 'f.x', KIND)).not.toThrow();
    expect(below).toEqual({ format: 'x', version: 1, a: 1 });
  });

  it('a copy of a checked record is not checked (the check is on the record decodeContainer returned)', () => {
    const record = decodeContainer(packContainer(KIND, {}), 'f.x');
    expect(errorOf(() => checkHeader({ ...record }, 'f.x', KIND))).toMatch(/format version 3 ends with a checksum, and this one has none/);
  });
});

describe('readContainer / openContainer: files on disk', () => {
  it('reads, checks and names a missing file or a directory with the noun', () => {
    const file = path.join(tmp(), 'm.x');
    fs.writeFileSync(file, packContainer(KIND, { a: 1 }));
    expect(openContainer(file, KIND)).toEqual({ format: 'x', version: 3, a: 1 });
    expect(readContainer(file)).toEqual({ format: 'x', version: 3, a: 1 });
    const missing = path.join(tmp(), 'none.x');
    expect(errorOf(() => openContainer(missing, KIND))).toBe(`cannot read test file ${missing}: no such file or directory`);
    expect(errorOf(() => readContainer(missing))).toBe(`cannot read neuromap file ${missing}: no such file or directory`);
    expect(errorOf(() => openContainer(tmp(), KIND))).toBe(`cannot read test file ${tmp()}: it is a directory`);
  });

  it('openContainer applies checkHeader', () => {
    const file = path.join(tmp(), 'new.x');
    fs.writeFileSync(file, packContainer({ ...KIND, version: 9 }, {}));
    expect(errorOf(() => openContainer(file, KIND))).toBe(
      `${file} was written by a newer neuromap (format version 9, this one reads 3): upgrade neuromap`,
    );
    fs.writeFileSync(file, new Uint8Array(0));
    expect(errorOf(() => openContainer(file, KIND))).toBe(`${file} is empty (0 bytes), so it is not a test file`);
  });
});

describe('isPlainObject', () => {
  it('true only for {} and null-prototype objects', () => {
    class A {}
    expect(isPlainObject({})).toBe(true);
    expect(isPlainObject({ a: 1 })).toBe(true);
    expect(isPlainObject(Object.create(null))).toBe(true);
    expect(isPlainObject([])).toBe(false);
    expect(isPlainObject(Float32Array.of(1))).toBe(false);
    expect(isPlainObject(new DataView(new ArrayBuffer(1)))).toBe(false);
    expect(isPlainObject(new A())).toBe(false);
    expect(isPlainObject(Object.create({}))).toBe(false);
    // Refused by Array.isArray / ArrayBuffer.isView alone: their prototype is null, as a plain record's may be.
    expect(isPlainObject(Object.setPrototypeOf([], null))).toBe(false);
    expect(isPlainObject(Object.setPrototypeOf(Uint8Array.of(1), null))).toBe(false);
    expect(isPlainObject(new Map())).toBe(false);
    expect(isPlainObject(null)).toBe(false);
    expect(isPlainObject(undefined)).toBe(false);
    expect(isPlainObject('x')).toBe(false);
    expect(isPlainObject(1)).toBe(false);
  });
});

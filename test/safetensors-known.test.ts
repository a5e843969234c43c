/**
 * models/safetensors.ts by known answers, beside safetensors.test.ts: a one-tensor file's bytes counted out by hand,
 * the edges of every header check (the 8-byte minimum, a header that just fits, the tensor count limit with and
 * without metadata, offsets that are equal, non-integer or too many), zero-size tensors sharing an offset,
 * IEEE binary16 values worked out bit by bit, and a file read from the middle of a larger buffer.
 */
import * as atomic from '../models/atomic';
import * as config from '../models/config';
import { UserError } from '../models/config';
import * as validate from '../models/validate';
import { MAX_TENSORS, decodeSafetensors, encodeSafetensors, halfToFloat } from '../models/safetensors';
import { safetensorsBytes as file } from './helpers/safetensors-bytes';

const decode = (bytes: Uint8Array) => decodeSafetensors(bytes, 'x.safetensors');

function refusal(bytes: Uint8Array): string {
  try {
    decode(bytes);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message.replace('x.safetensors is not a valid safetensors file: ', '');
  }
  throw new Error('decoding succeeded');
}

describe('encodeSafetensors, byte by byte', () => {
  it('writes one F32 tensor as header length, padded JSON header, data', () => {
    const bytes = encodeSafetensors({ x: { shape: [1], data: Float32Array.from([1.5]) } });
    // {"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}: 5 + 15 + 12 + 20 + 2 = 54 characters, padded to 56;
    // no __metadata__ key when there is none. 8 + 56 + 4 = 68 bytes.
    const json = '{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}';
    expect(json.length).toBe(54);
    expect(bytes.length).toBe(68);
    expect(bytes.readBigUInt64LE(0)).toBe(56n);
    expect(bytes.subarray(8, 64).toString('latin1')).toBe(json + '  ');
    // 1.5 = 0x3fc00000, little-endian.
    expect(Array.from(bytes.subarray(64))).toEqual([0x00, 0x00, 0xc0, 0x3f]);
  });

  it('pads nothing when the header is a multiple of 8 long, and places each tensor after the one before', () => {
    // {"ab":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"c":{"dtype":"F32","shape":[],"data_offsets":[8,12]}}
    // 6 + 15 + 12 + 20 + 1 (,) + 5 + 15 + 11 + 21 + 2 = 108 characters → padded to 112; data 12 bytes.
    const bytes = encodeSafetensors({ ab: { shape: [2], data: Float32Array.from([1, 2]) }, c: { shape: [], data: Float32Array.from([-2]) } });
    expect(bytes.readBigUInt64LE(0)).toBe(112n);
    expect(bytes.subarray(8, 120).toString('latin1')).toBe(
      '{"ab":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"c":{"dtype":"F32","shape":[],"data_offsets":[8,12]}}    ',
    );
    expect([bytes.readFloatLE(120), bytes.readFloatLE(124), bytes.readFloatLE(128)]).toEqual([1, 2, -2]);
    // {"z":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}}: 54 characters again; with the metadata {"k":"v"} in
    // front, {"__metadata__":{"k":"v"},"z":…}: 1 + 14 + 1 + 9 + 1 + 53 = 79, padded to 80.
    const meta = encodeSafetensors({ z: { shape: [0], data: new Float32Array(0) } }, { k: 'v' });
    expect(meta.readBigUInt64LE(0)).toBe(80n);
    expect(meta.subarray(8).toString('latin1')).toBe('{"__metadata__":{"k":"v"},"z":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}} ');
  });

  it('refuses a tensor named __metadata__ and a tensor whose values disagree with its shape', () => {
    expect(() => encodeSafetensors({ __metadata__: { shape: [1], data: new Float32Array(1) } })).toThrow(UserError);
    expect(() => encodeSafetensors({ __metadata__: { shape: [1], data: new Float32Array(1) } })).toThrow(
      'a tensor cannot be called __metadata__ in a safetensors file',
    );
    expect(() => encodeSafetensors({ a: { shape: [2, 2], data: new Float32Array(3) } })).toThrow('tensor a has 3 values but shape 2×2');
  });
});

describe('decodeSafetensors at the edges', () => {
  it('takes 8 bytes as a header length, and a header that fills the file exactly', () => {
    // 8 bytes of zeros: header length 0, then an empty header, which is not JSON (not "fewer than 8 bytes").
    expect(refusal(new Uint8Array(8))).toMatch(/^its header is not valid JSON/);
    expect(refusal(new Uint8Array(7))).toBe('it has 7 bytes, fewer than the 8 of the header length');
    // "{}" and nothing after it: 2 header bytes of 2 that follow.
    expect(decode(file('{}'))).toEqual({ tensors: {}, dtypes: {}, metadata: {} });
    const short = file('{}').subarray(0, 9);
    expect(refusal(short)).toBe('its header length says 2 bytes but only 1 follow (truncated, or not safetensors)');
  });

  it('refuses a header longer than 100,000,000 bytes before reading it', () => {
    const bytes = Buffer.alloc(8 + 100_000_001, 0x20);
    bytes.writeBigUInt64LE(100_000_001n, 0);
    expect(refusal(bytes)).toBe('its header of 100000001 bytes is larger than the 100000000 allowed');
    // Exactly the limit is read: "{}" and 99,999,998 spaces.
    bytes.writeBigUInt64LE(100_000_000n, 0);
    bytes.write('{}', 8);
    expect(decode(bytes.subarray(0, 8 + 100_000_000)).tensors).toEqual({});
  });

  it('reads MAX_TENSORS = 10,000 tensors, metadata not counted, and refuses one more', () => {
    expect(MAX_TENSORS).toBe(10_000);
    const header = (n: number) => {
      const h: Record<string, unknown> = { __metadata__: { k: 'v' } };
      for (let i = 0; i < n; i++) h[`t${i}`] = { dtype: 'F32', shape: [0], data_offsets: [0, 0] };
      return JSON.stringify(h);
    };
    const st = decode(file(header(10_000)));
    expect(Object.keys(st.tensors)).toHaveLength(10_000);
    expect(st.metadata).toEqual({ k: 'v' });
    expect(refusal(file(header(10_001)))).toBe('its header names 10001 tensors, more than the 10000 neuromap reads');
  });

  it.each([
    ['null', 'its header is not a JSON object'],
    ['3', 'its header is not a JSON object'],
    ['"text"', 'its header is not a JSON object'],
    ['{"__metadata__": null}', '__metadata__ is not an object'],
    ['{"__metadata__": ["a"]}', '__metadata__ is not an object'],
    ['{"__metadata__": "a"}', '__metadata__ is not an object'],
    ['{"a": null}', 'tensor a has no dtype'],
    ['{"a": 5}', 'tensor a has no dtype'],
    ['{"a": {"dtype": 4, "shape": [], "data_offsets": [0, 4]}}', 'tensor a has no dtype'],
    ['{"a": {"dtype": "F32", "shape": 1, "data_offsets": [0, 4]}}', 'tensor a has no valid shape (a list of non-negative integers)'],
    ['{"a": {"dtype": "F32", "shape": [1, -1], "data_offsets": [0, 4]}}', 'tensor a has no valid shape (a list of non-negative integers)'],
    ['{"a": {"dtype": "F32", "shape": [1.5], "data_offsets": [0, 4]}}', 'tensor a has no valid shape (a list of non-negative integers)'],
    ['{"a": {"dtype": "F32", "shape": ["1"], "data_offsets": [0, 4]}}', 'tensor a has no valid shape (a list of non-negative integers)'],
    ['{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4, 8]}}', 'tensor a has no valid data_offsets (two non-negative integers, begin ≤ end)'],
    ['{"a": {"dtype": "F32", "shape": [1], "data_offsets": [4]}}', 'tensor a has no valid data_offsets (two non-negative integers, begin ≤ end)'],
    ['{"a": {"dtype": "F32", "shape": [1], "data_offsets": "0,4"}}', 'tensor a has no valid data_offsets (two non-negative integers, begin ≤ end)'],
    ['{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4.5]}}', 'tensor a has no valid data_offsets (two non-negative integers, begin ≤ end)'],
    ['{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 9007199254740992]}}', 'tensor a has no valid data_offsets (two non-negative integers, begin ≤ end)'],
    ['{"a": {"dtype": "F32", "shape": [0], "data_offsets": [4, 0]}}', 'tensor a has no valid data_offsets (two non-negative integers, begin ≤ end)'],
    // Sizes per dtype: 3 F16 values are 6 bytes, 1 F64 value 8, 2 BF16 values 4, a scalar F32 4.
    ['{"a": {"dtype": "F16", "shape": [3], "data_offsets": [0, 8]}}', 'tensor a (F16, shape 3) needs 6 bytes but its data_offsets span 8'],
    ['{"a": {"dtype": "F64", "shape": [1], "data_offsets": [0, 4]}}', 'tensor a (F64, shape 1) needs 8 bytes but its data_offsets span 4'],
    ['{"a": {"dtype": "BF16", "shape": [2], "data_offsets": [0, 2]}}', 'tensor a (BF16, shape 2) needs 4 bytes but its data_offsets span 2'],
    ['{"a": {"dtype": "F32", "shape": [], "data_offsets": [0, 8]}}', 'tensor a (F32, shape scalar) needs 4 bytes but its data_offsets span 8'],
    // The span is end − begin: 12 − 4 = 8.
    ['{"a": {"dtype": "F32", "shape": [1], "data_offsets": [4, 12]}}', 'tensor a (F32, shape 1) needs 4 bytes but its data_offsets span 8'],
  ])('refuses the header %s', (header, message) => {
    expect(refusal(file(header, new Uint8Array(8)))).toBe(message);
  });

  it('reads a zero-size tensor that starts where a larger one does, whichever the header names first', () => {
    // a covers bytes 0–8, z is empty at 0: sorted by begin then end, z (0–0) comes before a (0–8) and nothing
    // overlaps; sorted by begin alone, a would stay first and z (begin 0 < end 8) would overlap it.
    const data = new Uint8Array(new Float32Array([3, -1]).buffer);
    const st = decode(file('{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "z": {"dtype": "F32", "shape": [0, 2], "data_offsets": [0, 0]}}', data));
    expect(Array.from(st.tensors.a.data)).toEqual([3, -1]);
    expect(st.tensors.z).toEqual({ shape: [0, 2], data: new Float32Array(0) });
    expect(st.dtypes).toEqual({ a: 'F32', z: 'F32' });
  });

  it('reports a tensor past the end before an overlap, and a tensor of size 0 at the end is not past it', () => {
    expect(refusal(file('{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "b": {"dtype": "F32", "shape": [3], "data_offsets": [4, 16]}}', new Uint8Array(8))))
      .toBe('data_offsets out of range: tensor b ends at byte 16 of a data section of 8 bytes (truncated?)');
    const st = decode(file('{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "e": {"dtype": "F32", "shape": [0], "data_offsets": [8, 8]}}', new Uint8Array(8)));
    expect(Object.keys(st.tensors)).toEqual(['a', 'e']);
  });

  it('reads a file held in the middle of a larger buffer, F32 and F64 alike', () => {
    const inner = file(
      '{"d": {"dtype": "F64", "shape": [1], "data_offsets": [0, 8]}, "f": {"dtype": "F32", "shape": [1], "data_offsets": [8, 12]}}',
      new Uint8Array([...new Uint8Array(new Float64Array([0.375]).buffer), ...new Uint8Array(new Float32Array([-6]).buffer)]),
    );
    const outer = new Uint8Array(inner.length + 13).fill(0xff);
    outer.set(inner, 5);
    const st = decode(outer.subarray(5, 5 + inner.length));
    expect(Array.from(st.tensors.d.data)).toEqual([0.375]);
    expect(Array.from(st.tensors.f.data)).toEqual([-6]);
  });

  it('reads F16 and BF16 stored at odd offsets of the data section', () => {
    // F16 0x3555 at data bytes 2–4 (after a 2-byte BF16 0xbf80 = -1): exponent 0b01101 = 13, fraction 0x155 = 341:
    // (1 + 341/1024) · 2^(13 − 15) = 1365/4096 = 0.333251953125.
    const data = new Uint8Array([0x80, 0xbf, 0x55, 0x35]);
    const st = decode(file('{"b": {"dtype": "BF16", "shape": [1], "data_offsets": [0, 2]}, "h": {"dtype": "F16", "shape": [1], "data_offsets": [2, 4]}}', data));
    expect(Array.from(st.tensors.b.data)).toEqual([-1]);
    expect(Array.from(st.tensors.h.data)).toEqual([0.333251953125]);
  });
});

describe('halfToFloat', () => {
  it.each([
    [0x0000, 0],
    [0x0001, 2 ** -24], // smallest subnormal: 1 · 2^-24
    [0x03ff, 1023 * 2 ** -24], // largest subnormal
    [0x8001, -(2 ** -24)],
    [0x0400, 2 ** -14], // smallest normal: exponent 1, (1 + 0) · 2^(1 − 15)
    [0x3c00, 1],
    [0x3e00, 1.5], // fraction 0x200 = 512: 1 + 512/1024
    [0xc500, -5], // sign, exponent 17, fraction 0x100: −(1 + 1/4) · 4
    [0x7bff, 65504], // exponent 30, fraction 1023: (2047/1024) · 2^15
    [0x7c00, Infinity],
    [0xfc00, -Infinity],
  ])('0x%s', (h, value) => {
    expect(halfToFloat(h)).toBe(value);
  });

  it('keeps the sign of zero and reads every exponent-31 fraction as NaN', () => {
    expect(Object.is(halfToFloat(0x8000), -0)).toBe(true);
    expect(halfToFloat(0x7c01)).toBeNaN();
    expect(halfToFloat(0x7e00)).toBeNaN();
    expect(halfToFloat(0xffff)).toBeNaN();
  });
});

describe('on a big-endian machine', () => {
  // The byte-by-byte paths of toFloat32 and writeFloat32 run only where the machine's own float32 layout is not
  // little-endian. The module is loaded again with its endianness probe, new Uint32Array([1]), answered by an array
  // whose first byte is 0 (as a big-endian machine's is); it must then read and write exactly the bytes above.
  //
  // Its imports are handed over as they are already loaded (jest.doMock), so that only safetensors.ts is evaluated
  // again: otherwise every module it imports would run its top-level code inside this test, and mutation testing
  // would count their constants as covered here (and as survivors) where it otherwise sets them apart as static.
  function bigEndianModule(): typeof import('../models/safetensors') {
    const Real = Uint32Array;
    const probe = function (arg: unknown) {
      if (Array.isArray(arg) && arg.length === 1 && arg[0] === 1) return new Real(new Uint8Array([0, 0, 0, 1]).buffer);
      return new Real(arg as ArrayLike<number>);
    };
    const loaded: Record<string, unknown> = { '../models/config': config, '../models/atomic': atomic, '../models/validate': validate };
    let mod: typeof import('../models/safetensors') | undefined;
    (globalThis as { Uint32Array: unknown }).Uint32Array = probe;
    try {
      jest.isolateModules(() => {
        for (const [name, m] of Object.entries(loaded)) jest.doMock(name, () => m);
        mod = require('../models/safetensors');
      });
    } finally {
      (globalThis as { Uint32Array: unknown }).Uint32Array = Real;
      for (const name of Object.keys(loaded)) jest.dontMock(name);
    }
    return mod!;
  }

  it('writes 1.5, −2 and 0.25 little-endian and reads them back', () => {
    const be = bigEndianModule();
    const bytes = be.encodeSafetensors({ x: { shape: [3], data: Float32Array.from([1.5, -2, 0.25]) } }, { k: 'v' });
    // The header of the one-tensor file above with [3] and [0,12] (54 + 1, the 12 has two digits) and the metadata
    // {"__metadata__":{"k":"v"}, in front: {"__metadata__":{"k":"v"}, is 1 + 14 + 1 + 9 + 1 = 26 characters and the
    // tensor's part without its opening brace 54, 80 in all: a multiple of 8, no padding, the data at 8 + 80 = 88.
    expect(bytes.readBigUInt64LE(0)).toBe(80n);
    expect(bytes.subarray(8, 88).toString('latin1')).toBe('{"__metadata__":{"k":"v"},"x":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}}');
    // 1.5 = 0x3fc00000, −2 = 0xc0000000, 0.25 = 0x3e800000, each least significant byte first.
    expect(Array.from(bytes.subarray(88))).toEqual([0, 0, 0xc0, 0x3f, 0, 0, 0, 0xc0, 0, 0, 0x80, 0x3e]);
    const st = be.decodeSafetensors(bytes, 'be.safetensors');
    expect(Array.from(st.tensors.x.data)).toEqual([1.5, -2, 0.25]);
    expect(st.metadata).toEqual({ k: 'v' });
    // The other dtypes read as on any machine: F64 0.375, F16 0x3e00 = 1.5, BF16 0xc000 = −2.
    const data = new Uint8Array([...new Uint8Array(new Float64Array([0.375]).buffer), 0x00, 0x3e, 0x00, 0xc0]);
    const others = be.decodeSafetensors(
      file('{"d": {"dtype": "F64", "shape": [1], "data_offsets": [0, 8]}, "h": {"dtype": "F16", "shape": [1], "data_offsets": [8, 10]}, "b": {"dtype": "BF16", "shape": [1], "data_offsets": [10, 12]}}', data),
      'be.safetensors',
    );
    expect([others.tensors.d.data[0], others.tensors.h.data[0], others.tensors.b.data[0]]).toEqual([0.375, 1.5, -2]);
  });
});

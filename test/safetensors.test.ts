import * as fs from 'fs';
import * as path from 'path';
import { UserError } from '../models/config';
import { Tensor } from '../models/params';
import { decodeSafetensors, encodeSafetensors, readSafetensors, writeSafetensors } from '../models/safetensors';
import { useTempDir } from './fixtures/tmp';
import { safetensorsBytes } from './helpers/safetensors-bytes';

const tmp = useTempDir();

/** A safetensors file from a header object and a data section, exactly as given (no padding added). */
function handBuilt(header: Record<string, unknown>, data: Uint8Array, headerText = JSON.stringify(header)): Buffer {
  return safetensorsBytes(headerText, data);
}

function decodeError(bytes: Uint8Array): string {
  try {
    decodeSafetensors(bytes, 'x.safetensors');
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  throw new Error('decoding succeeded');
}

const f32 = (name: string, begin: number, n: number, shape = [n]) => ({ [name]: { dtype: 'F32', shape, data_offsets: [begin, begin + 4 * n] } });

describe('safetensors', () => {
  const tensors: Record<string, Tensor> = {
    'a.weight': { shape: [2, 3], data: new Float32Array([1, -2, 3.5, 1e-30, -0, 7]) },
    scalar: { shape: [], data: new Float32Array([42]) },
    empty: { shape: [0, 3], data: new Float32Array(0) },
    'b.bias': { shape: [3], data: new Float32Array([0.1, 0.2, 0.3]) },
  };

  it('round-trips float32 tensors and metadata through a file', () => {
    const file = path.join(tmp(), 'm.safetensors');
    writeSafetensors(file, tensors, { format: 'pt', note: 'ünïcode ok' });
    const back = readSafetensors(file);
    expect(back.tensors).toStrictEqual(tensors);
    expect(Object.keys(back.tensors)).toEqual(Object.keys(tensors));
    expect(back.metadata).toEqual({ format: 'pt', note: 'ünïcode ok' });
    expect(Object.values(back.dtypes)).toEqual(['F32', 'F32', 'F32', 'F32']);
    expect(fs.readdirSync(tmp())).toEqual(['m.safetensors']);
  });

  it('pads the header with spaces so the data starts at a multiple of 8', () => {
    const metas: Record<string, string>[] = [{}, { k: 'v' }, { k: 'vv' }, { k: 'vvv' }, { k: 'vvvv' }, { k: 'é' }];
    for (const meta of metas) {
      const bytes = encodeSafetensors(tensors, meta);
      const n = Number(bytes.readBigUInt64LE(0));
      expect(n % 8).toBe(0);
      const text = bytes.subarray(8, 8 + n).toString('utf8');
      expect(text).toMatch(/^\{.*\} *$/);
      expect(text.length - text.trimEnd().length).toBeLessThan(8);
      expect(bytes.length).toBe(8 + n + 4 * (6 + 1 + 0 + 3));
      // The first tensor's bytes start right after the padding.
      expect(bytes.readFloatLE(8 + n + 4 * 2)).toBe(3.5);
    }
  });

  it('reads F16, BF16 and F64 and tolerates a header whose key order differs from the data order', () => {
    const data = Buffer.alloc(12 + 4 + 16);
    [0x3c00, 0xc000, 0x3800, 0x7bff, 0x0001, 0x7c00].forEach((h, i) => data.writeUInt16LE(h, 16 + 2 * i)); // F16 at 16
    [0x3fc0, 0xc040].forEach((h, i) => data.writeUInt16LE(h, 28 + 2 * i)); // BF16 at 28
    [0.1, -1e-3].forEach((x, i) => data.writeDoubleLE(x, 8 * i)); // F64 at 0
    const header = {
      __metadata__: { source: 'hand' },
      half: { dtype: 'F16', shape: [2, 3], data_offsets: [16, 28] },
      brain: { dtype: 'BF16', shape: [2], data_offsets: [28, 32] },
      double: { dtype: 'F64', shape: [2], data_offsets: [0, 16] },
    };
    const st = decodeSafetensors(handBuilt(header, data, JSON.stringify(header) + '   '), 'hand.safetensors');
    expect(Array.from(st.tensors.half.data)).toEqual([1, -2, 0.5, 65504, 2 ** -24, Infinity]);
    expect(st.tensors.half.shape).toEqual([2, 3]);
    expect(Array.from(st.tensors.brain.data)).toEqual([1.5, -3]);
    expect(Array.from(st.tensors.double.data)).toEqual([Math.fround(0.1), Math.fround(-1e-3)]);
    expect(st.dtypes).toEqual({ half: 'F16', brain: 'BF16', double: 'F64' });
    expect(st.metadata).toEqual({ source: 'hand' });
  });

  describe('rejects broken files with a clear UserError', () => {
    const four = new Uint8Array(16);
    const cases: [string, () => Uint8Array, RegExp][] = [
      ['fewer than 8 bytes', () => new Uint8Array(5), /5 bytes, fewer than the 8 of the header length/],
      ['a header longer than the file', () => encodeSafetensors({ a: { shape: [4], data: new Float32Array(4) } }).subarray(0, 20), /header length says \d+ bytes but only 12 follow/],
      ['a truncated data section', () => encodeSafetensors({ a: { shape: [4], data: new Float32Array(4) } }).subarray(0, -3), /out of range: tensor a ends at byte 16 of a data section of 13 bytes/],
      ['a header that is not JSON', () => handBuilt({}, four, '{"a": {"dtype": "F32",'), /header is not valid JSON/],
      ['a header that is a list', () => handBuilt({}, four, '[1, 2]'), /header is not a JSON object/],
      ['an unsupported dtype', () => handBuilt({ ids: { dtype: 'I64', shape: [2], data_offsets: [0, 16] } }, four), /tensor ids has dtype I64, which neuromap cannot read \(it reads F32, F64, F16, BF16\)/],
      ['a size that disagrees with the shape', () => handBuilt(f32('a', 0, 4, [3]), four), /tensor a \(F32, shape 3\) needs 12 bytes but its data_offsets span 16/],
      ['negative offsets', () => handBuilt({ a: { dtype: 'F32', shape: [1], data_offsets: [-4, 0] } }, four), /tensor a has no valid data_offsets/],
      ['a missing shape', () => handBuilt({ a: { dtype: 'F32', data_offsets: [0, 16] } }, four), /tensor a has no valid shape/],
      ['overlapping tensors', () => handBuilt({ ...f32('a', 0, 3), ...f32('b', 8, 2) }, four), /tensors a \(bytes 0–12\) and b \(bytes 8–16\) overlap/],
      ['a gap between tensors', () => handBuilt({ ...f32('a', 0, 1), ...f32('b', 8, 2) }, four), /bytes 4–8 of the data section belong to no tensor/],
      ['bytes after the last tensor', () => handBuilt(f32('a', 0, 3), four), /4 bytes after the last tensor belong to no tensor/],
      ['non-string metadata', () => handBuilt({ __metadata__: { epochs: 3 }, ...f32('a', 0, 4) }, four), /__metadata__\.epochs is not a string/],
    ];
    it.each(cases)('%s', (_, bytes, message) => {
      expect(decodeError(bytes())).toMatch(message);
    });

    it('a missing file', () => {
      expect(() => readSafetensors(path.join(tmp(), 'none.safetensors'))).toThrow(/cannot read safetensors file .*none\.safetensors: no such file/);
    });
  });
});

/**
 * The safetensors format, read and written by hand:
 *   8 bytes   N, the header length, unsigned 64-bit little-endian
 *   N bytes   a JSON object { name: { dtype, shape, data_offsets: [begin, end] }, "__metadata__"?: { string: string } },
 *             padded with spaces so the data starts at a multiple of 8
 *   the rest  raw little-endian tensor data; offsets count from the start of this section
 * As in the reference implementation, the tensors must tile the data section exactly: sorted by offset, each
 * starts where the previous one ends, the last ends at the end of the file (the header's key order need not
 * follow the data order). Reads F32, F64, F16 and BF16 (all returned as float32); writes F32.
 */
import { UserError } from './config';
import { readFileForUser, writeFileAtomic } from './atomic';
import { Tensor } from './params';
import { shapeText } from './validate';

export interface Safetensors {
  tensors: Record<string, Tensor>;
  /** The stored dtype of each tensor (before conversion to float32). */
  dtypes: Record<string, string>;
  metadata: Record<string, string>;
}

const DTYPE_BYTES: Record<string, number> = { F32: 4, F64: 8, F16: 2, BF16: 2 };
const MAX_HEADER = 100_000_000;
// An EvNN LanguageModel has 4 + 8 per layer; a header naming more is refused before its tensors are read.
export const MAX_TENSORS = 10_000;
const METADATA = '__metadata__';
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

interface Entry {
  name: string;
  dtype: string;
  shape: number[];
  begin: number;
  end: number;
}

export function readSafetensors(file: string): Safetensors {
  return decodeSafetensors(readFileForUser(file, 'safetensors file'), file);
}

export function writeSafetensors(file: string, tensors: Record<string, Tensor>, metadata: Record<string, string> = {}): void {
  writeFileAtomic(file, encodeSafetensors(tensors, metadata));
}

export function decodeSafetensors(bytes: Uint8Array, file: string): Safetensors {
  const fail = (why: string) => new UserError(`${file} is not a valid safetensors file: ${why}`);
  if (bytes.length < 8) throw fail(`it has ${bytes.length} bytes, fewer than the 8 of the header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(bytes.length - 8))
    throw fail(`its header length says ${headerLength} bytes but only ${bytes.length - 8} follow (truncated, or not safetensors)`);
  if (headerLength > BigInt(MAX_HEADER)) throw fail(`its header of ${headerLength} bytes is larger than the ${MAX_HEADER} allowed`);
  const dataStart = 8 + Number(headerLength);
  const { entries, metadata } = parseHeader(bytes.subarray(8, dataStart), fail);
  checkLayout(entries, bytes.length - dataStart, fail);
  const tensors: Record<string, Tensor> = {};
  const dtypes: Record<string, string> = {};
  for (const e of entries) {
    tensors[e.name] = { shape: e.shape, data: toFloat32(bytes.subarray(dataStart + e.begin, dataStart + e.end), e.dtype) };
    dtypes[e.name] = e.dtype;
  }
  return { tensors, dtypes, metadata };
}

export function encodeSafetensors(tensors: Record<string, Tensor>, metadata: Record<string, string> = {}): Buffer {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) header[METADATA] = metadata;
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    if (name === METADATA) throw new UserError(`a tensor cannot be called ${METADATA} in a safetensors file`);
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (size !== t.data.length) throw new Error(`tensor ${name} has ${t.data.length} values but shape ${shapeText(t.shape)}`);
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + 4 * size] };
    offset += 4 * size;
  }
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const padded = Math.ceil(json.length / 8) * 8;
  const out = Buffer.alloc(8 + padded + offset, 0x20);
  out.writeBigUInt64LE(BigInt(padded), 0);
  json.copy(out, 8);
  let at = 8 + padded;
  for (const t of Object.values(tensors)) {
    writeFloat32(out.subarray(at, at + 4 * t.data.length), t.data);
    at += 4 * t.data.length;
  }
  return out;
}

function parseHeader(raw: Uint8Array, fail: (why: string) => UserError): { entries: Entry[]; metadata: Record<string, string> } {
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8'));
  } catch (err) {
    throw fail(`its header is not valid JSON (${(err as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw fail('its header is not a JSON object');
  const entries: Entry[] = [];
  let metadata: Record<string, string> = {};
  const count = Object.keys(header).filter((name) => name !== METADATA).length;
  if (count > MAX_TENSORS) throw fail(`its header names ${count} tensors, more than the ${MAX_TENSORS} neuromap reads`);
  for (const [name, value] of Object.entries(header as Record<string, unknown>)) {
    if (name === METADATA) metadata = parseMetadata(value, fail);
    else entries.push(parseEntry(name, value, fail));
  }
  return { entries, metadata };
}

function parseMetadata(value: unknown, fail: (why: string) => UserError): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fail(`${METADATA} is not an object`);
  for (const [key, v] of Object.entries(value)) if (typeof v !== 'string') throw fail(`${METADATA}.${key} is not a string`);
  return value as Record<string, string>;
}

function parseEntry(name: string, value: unknown, fail: (why: string) => UserError): Entry {
  const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const { dtype, shape, data_offsets: offsets } = v;
  if (typeof dtype !== 'string') throw fail(`tensor ${name} has no dtype`);
  if (!Array.isArray(shape) || !shape.every(isCount)) throw fail(`tensor ${name} has no valid shape (a list of non-negative integers)`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount) || offsets[0] > offsets[1])
    throw fail(`tensor ${name} has no valid data_offsets (two non-negative integers, begin ≤ end)`);
  const bytes = DTYPE_BYTES[dtype];
  if (bytes === undefined)
    throw fail(`tensor ${name} has dtype ${dtype}, which neuromap cannot read (it reads ${Object.keys(DTYPE_BYTES).join(', ')})`);
  const [begin, end] = offsets as number[];
  const size = (shape as number[]).reduce((a, b) => a * b, 1);
  if (end - begin !== size * bytes)
    throw fail(`tensor ${name} (${dtype}, shape ${shapeText(shape)}) needs ${size * bytes} bytes but its data_offsets span ${end - begin}`);
  return { name, dtype, shape: shape as number[], begin, end };
}

function isCount(x: unknown): x is number {
  return Number.isSafeInteger(x) && (x as number) >= 0;
}

/** The tensors must tile the data section: no overlap, no gap, nothing past the end, nothing left over. */
function checkLayout(entries: Entry[], dataLength: number, fail: (why: string) => UserError): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let end = 0;
  let previous: Entry | undefined;
  for (const e of sorted) {
    if (e.end > dataLength)
      throw fail(`data_offsets out of range: tensor ${e.name} ends at byte ${e.end} of a data section of ${dataLength} bytes (truncated?)`);
    if (e.begin < end)
      throw fail(`tensors ${previous!.name} (bytes ${previous!.begin}–${previous!.end}) and ${e.name} (bytes ${e.begin}–${e.end}) overlap`);
    if (e.begin > end) throw fail(`bytes ${end}–${e.begin} of the data section belong to no tensor (data_offsets out of order?)`);
    end = e.end;
    previous = e;
  }
  if (end !== dataLength) throw fail(`${dataLength - end} bytes after the last tensor belong to no tensor`);
}

function toFloat32(raw: Uint8Array, dtype: string): Float32Array {
  const n = raw.length / DTYPE_BYTES[dtype];
  const out = new Float32Array(n);
  if (dtype === 'F32' && LITTLE_ENDIAN) {
    new Uint8Array(out.buffer).set(raw);
    return out;
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  if (dtype === 'F32') for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, true);
  else if (dtype === 'F64') for (let i = 0; i < n; i++) out[i] = view.getFloat64(8 * i, true);
  else if (dtype === 'F16') for (let i = 0; i < n; i++) out[i] = halfToFloat(view.getUint16(2 * i, true));
  else {
    // bfloat16 is the upper half of a float32.
    const bits = new Uint32Array(out.buffer);
    for (let i = 0; i < n; i++) bits[i] = view.getUint16(2 * i, true) << 16;
  }
  return out;
}

/** IEEE 754 binary16 → number. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

function writeFloat32(target: Uint8Array, data: Float32Array): void {
  if (LITTLE_ENDIAN) {
    target.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return;
  }
  const view = new DataView(target.buffer, target.byteOffset, target.byteLength);
  for (let i = 0; i < data.length; i++) view.setFloat32(4 * i, data[i], true);
}

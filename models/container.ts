/**
 * The container every neuromap file shares: one msgpack map whose first two fields are `format` (a name such as
 * 'neuromap-egru' or 'neuromap-nmap') and `version` (an integer that grows when the layout changes). Typed arrays
 * are stored with msgpackr's typed-array extension, so a Float32Array, Uint8Array, Float64Array ... comes back as
 * that exact type, also deep inside free-form records such as a checkpoint's training state.
 *
 * readContainer checks only what every neuromap file has (readable, a map, a format name, and its checksum when
 * it ends with one: format/checksum.ts); checkHeader checks that it is the expected kind of file in a version
 * this build reads, and that a version which carries a checksum had a matching one.
 */
import { Packr } from 'msgpackr';
import { UserError } from './config';
import { readFileForUser, writeFileAtomic } from './atomic';
import { CHECKSUM_FIELD, CHECKSUM_PLACEHOLDER, checksums, hasChecksumTail, sealChecksum } from '../format/checksum';

/** What a kind of file is called and which format version this build writes (and reads, at most). */
export interface ContainerKind {
  format: string;
  version: number;
  /** How messages name it, e.g. "neuromap model file". */
  noun: string;
  /** The first format version whose files end with a checksum (format/checksum.ts); older ones load unchecked. */
  checksumSince: number;
}

export type ContainerRecord = Record<string, unknown> & { format: string; version: number };

// useRecords: false keeps the file plain msgpack (no msgpackr record extension), readable by any msgpack library.
const packr = new Packr({ moreTypes: true, useRecords: false });

/**
 * The file's bytes: format, version, the body, and the checksum of all of it as the last field. The header is
 * the kind's alone: a body with its own `format` or `version` field is a programming error (it would silently
 * replace the kind's), so it throws.
 */
export function packContainer(kind: ContainerKind, body: Record<string, unknown>): Buffer {
  for (const field of ['format', 'version'])
    if (Object.hasOwn(body, field)) throw new Error(`packContainer: the body has its own \`${field}\` field; the header's comes from the kind (${kind.format} version ${kind.version})`);
  const { [CHECKSUM_FIELD]: _ignored, ...rest } = body;
  const record = { format: kind.format, version: kind.version, ...rest, [CHECKSUM_FIELD]: CHECKSUM_PLACEHOLDER };
  checkOneRealm(record, 'record');
  const bytes = packr.pack(record);
  sealChecksum(bytes);
  return bytes;
}

/** Records whose file ended with a checksum that matched (checkHeader requires one from checksumSince on). */
const checked = new WeakSet<object>();

// The %TypedArray% constructor msgpackr's own `instanceof` test recognises.
const TypedArray = Object.getPrototypeOf(Uint8Array.prototype).constructor as Function;

/**
 * msgpackr recognises typed arrays with `instanceof`, so one made in another JavaScript realm (a vm context, or a
 * jest test file, see test/fixtures/node-environment.js) would be written as a map of indices and come back as a
 * plain object. Fail loudly instead.
 */
function checkOneRealm(value: unknown, where: string): void {
  if (typeof value !== 'object' || value === null) return;
  if (ArrayBuffer.isView(value)) {
    if (!(value instanceof TypedArray) && !(value instanceof DataView))
      throw new Error(`${where} is a ${value.constructor.name} from another JavaScript realm; msgpackr cannot pack it`);
    return;
  }
  for (const [key, item] of Object.entries(value)) checkOneRealm(item, `${where}.${key}`);
}

export function writeContainer(file: string, kind: ContainerKind, body: Record<string, unknown>): void {
  writeFileAtomic(file, packContainer(kind, body));
}

/** Decodes a neuromap file of any kind (for `inspect`, which dispatches on the format name). */
export function readContainer(file: string, noun = 'neuromap file'): ContainerRecord {
  return decodeContainer(readFileForUser(file, noun), file, noun);
}

export function decodeContainer(bytes: Uint8Array, file: string, noun = 'neuromap file'): ContainerRecord {
  if (bytes.length === 0) throw new UserError(`${file} is empty (0 bytes), so it is not a ${noun}`);
  const sealed = hasChecksumTail(bytes);
  if (sealed) {
    const { stored, computed } = checksums(bytes);
    if (stored !== computed)
      throw new UserError(`${file} is corrupt: its checksum is ${stored} and its content's is ${computed} (changed or damaged since it was written)`);
  }
  let value: unknown;
  try {
    value = packr.unpack(bytes);
  } catch (err) {
    throw new UserError(
      `${file} is not a ${noun}: it is truncated, corrupt or not msgpack at all (${(err as Error).message ?? String(err)})`,
    );
  }
  if (!isPlainObject(value) || typeof value.format !== 'string')
    throw new UserError(`${file} is not a ${noun}: it is msgpack data without a \`format\` field`);
  if (!(Number.isInteger(value.version) && (value.version as number) >= 1))
    throw new UserError(`${file} is corrupt: its format version ${JSON.stringify(value.version)} is not a positive integer`);
  if (sealed) {
    delete value[CHECKSUM_FIELD];
    checked.add(value);
  }
  return value as ContainerRecord;
}

/** Throws unless `record` is a `kind` file in a version this build reads. */
export function checkHeader(record: ContainerRecord, file: string, kind: ContainerKind): void {
  if (record.format !== kind.format)
    throw new UserError(`${file} is not a ${kind.noun}: it is a '${record.format}' file, expected '${kind.format}'`);
  if (record.version > kind.version)
    throw new UserError(
      `${file} was written by a newer neuromap (format version ${record.version}, this one reads ${kind.version}): upgrade neuromap`,
    );
  if (record.version >= kind.checksumSince && !checked.has(record))
    throw new UserError(`${file} is corrupt: a ${kind.noun} of format version ${record.version} ends with a checksum, and this one has none (truncated or damaged)`);
}

/** readContainer + checkHeader. */
export function openContainer(file: string, kind: ContainerKind): ContainerRecord {
  const record = readContainer(file, kind.noun);
  checkHeader(record, file, kind);
  return record;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || ArrayBuffer.isView(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

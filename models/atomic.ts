/**
 * Whole-file reads and atomic writes, with failures reported as UserErrors.
 *
 * An atomic write never lets a reader (or a crash) see half a file: the bytes go to `path.<pid>.tmp` in the same
 * directory, are flushed to disk, and the temp file is renamed over `path`; on any failure the temp file is removed.
 * Used for model files, checkpoints, compiled maps and exports alike.
 */
import * as fs from 'fs';
import * as path from 'path';
import { UserError } from './config';
import { describeIoError } from '../format/io-error';

export { describeIoError };

export function tempPathFor(target: string): string {
  return `${target}.${process.pid}.tmp`;
}

export function writeFileAtomic(target: string, data: Uint8Array | string): void {
  writeFilesAtomic([{ file: target, data }]);
}

/**
 * Several files, all or nothing: every file goes to its temp file first (written and flushed); only when all are
 * on disk are they renamed into place, so a full disk or a failed write leaves none of them written (and every
 * temp file removed). Used where one command writes several outputs (export, compile --json, simulate --trace).
 */
export function writeFilesAtomic(files: readonly { file: string; data: Uint8Array | string }[]): void {
  const written: string[] = [];
  for (const { file, data } of files) {
    const tmp = tempPathFor(file);
    try {
      writeAndFlush(tmp, data);
      written.push(tmp);
    } catch (err) {
      for (const t of [...written, tmp]) fs.rmSync(t, { force: true });
      throw new UserError(`cannot write ${file}: ${describeIoError(err)}${files.length > 1 ? ' (none of the outputs were written)' : ''}`);
    }
  }
  files.forEach(({ file }, i) => {
    try {
      fs.renameSync(written[i], file);
    } catch (err) {
      for (const t of written.slice(i)) fs.rmSync(t, { force: true });
      throw new UserError(`cannot write ${file}: ${describeIoError(err)}`);
    }
  });
  for (const dir of new Set(files.map(({ file }) => path.dirname(file)))) syncDirectory(dir);
}

function writeAndFlush(file: string, data: Uint8Array | string): void {
  const fd = fs.openSync(file, 'w');
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let written = 0;
    while (written < bytes.length) written += fs.writeSync(fd, bytes, written, bytes.length - written);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Makes the rename itself durable where the platform allows it (not on Windows). */
function syncDirectory(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Best effort: the data itself is already on disk.
  }
}

/** Reads a whole file, turning the usual failures (missing, a directory, unreadable) into a UserError. */
export function readFileForUser(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new UserError(`cannot read ${what} ${file}: ${describeIoError(err)}`);
  }
}

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

export function tempPathFor(target: string): string {
  return `${target}.${process.pid}.tmp`;
}

export function writeFileAtomic(target: string, data: Uint8Array | string): void {
  const tmp = tempPathFor(target);
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'w');
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let written = 0;
    while (written < bytes.length) written += fs.writeSync(fd, bytes, written, bytes.length - written);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, target);
  } catch (err) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw new UserError(`cannot write ${target}: ${describeIoError(err)}`);
  }
  syncDirectory(path.dirname(target));
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

export function describeIoError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOTDIR':
      return 'a parent of it is not a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EROFS':
      return 'read-only file system';
    default:
      return e?.message ?? String(err);
  }
}

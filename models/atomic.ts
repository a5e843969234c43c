/**
 * Whole-file reads and atomic writes, with failures reported as UserErrors.
 *
 * An atomic write never lets a reader (or a crash) see half a file: the bytes go to `path.<pid>.tmp` in the same
 * directory, are flushed to disk, and the temp file is renamed over `path`; on any failure the temp file is removed.
 * Several files written together (writeFilesAtomic) replace their targets all or none, as far as renames allow.
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

/** Where writeFilesAtomic keeps a target's old file while the later targets are renamed into place. */
export function backupPathFor(target: string): string {
  return `${target}.${process.pid}.bak`;
}

export function writeFileAtomic(target: string, data: Uint8Array | string): void {
  writeFilesAtomic([{ file: target, data }]);
}

/**
 * Several files, all or nothing, as far as renames allow. Every file goes to its temp file first (written and
 * flushed); only when all are on disk are they renamed into place, in order. Before each rename but the last, an
 * existing target (a file or a symlink; a folder is left to make its rename fail) is renamed to backupPathFor; if a
 * later rename fails, every target already replaced gets its backup back (or is removed when it did not exist
 * before), and the error says none of the outputs were written. So a full disk, a failed write or a failed rename
 * leaves every target as it was, and no temp file or backup behind; on success the backups are removed.
 * Not promised: between a target's move to its backup and the rename into place a reader (or a crash) finds no file
 * at that name, and a crash during the renames leaves the backups (`NAME.<pid>.bak`) to be put back by hand. If a
 * backup cannot be put back, the error says where the old file is. One file alone is one rename, with no backup.
 * Used where one command writes several outputs (export, compile --json, simulate --trace).
 */
export function writeFilesAtomic(files: readonly { file: string; data: Uint8Array | string }[]): void {
  const none = files.length > 1 ? ' (none of the outputs were written)' : '';
  const written: string[] = [];
  for (const { file, data } of files) {
    const tmp = tempPathFor(file);
    try {
      writeAndFlush(tmp, data);
      written.push(tmp);
    } catch (err) {
      for (const t of [...written, tmp]) fs.rmSync(t, { force: true });
      throw new UserError(`cannot write ${file}: ${describeIoError(err)}${none}`);
    }
  }
  // The targets renamed into place so far, with where each one's old file is (none: there was no file).
  const replaced: { file: string; backup: string | null }[] = [];
  files.forEach(({ file }, i) => {
    let backup: string | null = null;
    try {
      // The last rename has no later one that could fail, so its old file needs no keeping.
      if (i < files.length - 1) backup = moveAside(file);
      fs.renameSync(written[i], file);
      replaced.push({ file, backup });
    } catch (err) {
      // A target moved aside whose own rename then failed is put back the same way.
      if (backup !== null) replaced.push({ file, backup });
      const stuck = putBack(replaced);
      for (const t of written.slice(i)) fs.rmSync(t, { force: true });
      throw new UserError(`cannot write ${file}: ${describeIoError(err)}${stuck.length ? `; and ${stuck.join('; ')}` : none}`);
    }
  });
  for (const { backup } of replaced) if (backup !== null) fs.rmSync(backup, { force: true });
  for (const dir of new Set(files.map(({ file }) => path.dirname(file)))) syncDirectory(dir);
}

/** Renames an existing file or symlink at `file` to its backup name and returns that; null when there is none. */
function moveAside(file: string): string | null {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch {
    return null; // Nothing there (or nothing that can be looked at: the rename into place then fails and says why).
  }
  if (stat.isDirectory()) return null;
  const backup = backupPathFor(file);
  fs.renameSync(file, backup);
  return backup;
}

/** Undoes `replaced`, last first; returns a sentence for each target that could not be put back. */
function putBack(replaced: readonly { file: string; backup: string | null }[]): string[] {
  const stuck: string[] = [];
  for (const { file, backup } of [...replaced].reverse()) {
    try {
      if (backup === null) fs.rmSync(file, { force: true });
      else fs.renameSync(backup, file);
    } catch (err) {
      stuck.push(backup === null
        ? `${file} was written and could not be removed (${describeIoError(err)})`
        : `${file} was replaced and could not be put back (${describeIoError(err)}): its old file is ${backup}`);
    }
  }
  return stuck;
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

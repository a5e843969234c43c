/**
 * The committed record of each chunk's last Stryker run: its incremental file, gzipped, in test/mutation-results/.
 *
 * Why commit it: reports/ is a per-checkout cache, and a session's machine can be replaced between runs, which
 * lost every chunk's results twice (hours of both cores each). The incremental file holds every mutant's status
 * and the tests that covered it (the same content as the JSON report), so it serves twice: restored before a run,
 * Stryker re-tests only the mutants of changed code; read by `--score`, it sums the score of the committed code
 * without running anything. Gzipped it is ~0.2 MB per chunk (~5 MB as JSON).
 *
 * The newer copy wins: a run made here is saved over the record; a record newer than the local file (pulled from
 * a run made elsewhere) replaces it.
 */
import fs from 'fs';
import path from 'path';
import zlib from 'zlib';
import { writeFileAtomic } from '../../models/atomic';

export const STORE_DIR = path.join('test', 'mutation-results');

export const storedPath = (root: string, chunk: string) => path.join(root, STORE_DIR, `${chunk}.json.gz`);

/** Atomic (a stopped run never leaves half a file), into a folder made if missing. */
function writeAtomic(file: string, bytes: Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, bytes);
}

const mtime = (file: string) => (fs.existsSync(file) ? fs.statSync(file).mtimeMs : -Infinity);

/** Gives both copies one time, in whole seconds (which every file system stores exactly), so neither is newer. */
function sameTime(a: string, b: string, ms: number): void {
  const seconds = Math.floor(ms / 1000);
  fs.utimesSync(a, seconds, seconds);
  fs.utimesSync(b, seconds, seconds);
}

export type SyncAction = 'saved' | 'restored' | 'unchanged' | 'none';

/**
 * Brings the local incremental file and the committed record of one chunk to the same content, newer first.
 * `local` is the incremental file Stryker reads and writes (reports/mutation/chunks/NAME.incremental.json).
 */
export function syncChunk(root: string, chunk: string, local: string): SyncAction {
  const stored = storedPath(root, chunk);
  const [localTime, storedTime] = [mtime(local), mtime(stored)];
  if (localTime === -Infinity && storedTime === -Infinity) return 'none';
  if (localTime > storedTime) {
    writeAtomic(stored, zlib.gzipSync(fs.readFileSync(local), { level: 9 }));
    sameTime(local, stored, localTime);
    return 'saved';
  }
  if (storedTime > localTime) {
    writeAtomic(local, zlib.gunzipSync(fs.readFileSync(stored)));
    sameTime(local, stored, storedTime);
    return 'restored';
  }
  return 'unchanged';
}

/** The JSON text of a report, plain or gzipped (by its name). */
export function readReportText(file: string): string {
  const bytes = fs.readFileSync(file);
  return (file.endsWith('.gz') ? zlib.gunzipSync(bytes) : bytes).toString('utf8');
}

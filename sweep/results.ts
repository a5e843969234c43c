/**
 * DIR/results.jsonl: one JSON line per finished point, appended as the point finishes. A line is written with
 * a single append of the complete line, so a crash can leave at most a partial last line; reading drops it
 * (and cuts it from the file, so the next append starts on a fresh line) and that point runs again.
 */
import fs from 'fs';
import { UserError } from '../models/config';
import { describeIoError } from '../models/atomic';
import { ResultLine } from './line';

export interface ReadResults {
  lines: ResultLine[];
  /** Keys of the finished points. */
  done: Set<string>;
  /** What was dropped and why, for the user. */
  warnings: string[];
}

export function readResults(file: string): ReadResults {
  const out: ReadResults = { lines: [], done: new Set(), warnings: [] };
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return out;
    throw new UserError(`cannot read ${file}: ${describeIoError(err)}`);
  }
  const end = text.lastIndexOf('\n') + 1;
  if (end < text.length) {
    out.warnings.push(`${file}: dropped an unfinished last line (a point interrupted while writing); it runs again`);
    fs.truncateSync(file, Buffer.byteLength(text.slice(0, end), 'utf8'));
  }
  text.slice(0, end).split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    let line: unknown;
    try {
      line = JSON.parse(raw);
    } catch {
      out.warnings.push(`${file}:${i + 1}: not valid JSON; ignored (its point runs again)`);
      return;
    }
    const key = (line as { key?: unknown })?.key;
    if (typeof key !== 'string') {
      out.warnings.push(`${file}:${i + 1}: no "key" field; ignored`);
      return;
    }
    out.lines.push(line as ResultLine);
    out.done.add(key);
  });
  return out;
}

/** Appends one complete line with one write, then flushes it to disk before the point counts as done. */
export function appendResult(file: string, line: ResultLine): void {
  const bytes = Buffer.from(JSON.stringify(line) + '\n', 'utf8');
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'a');
    const n = fs.writeSync(fd, bytes);
    if (n !== bytes.length) throw new Error(`short write (${n} of ${bytes.length} bytes)`);
    fs.fsyncSync(fd);
  } catch (err) {
    throw new UserError(`cannot append to ${file}: ${describeIoError(err)}`);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

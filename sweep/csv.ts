/**
 * `sweep --csv FILE`: DIR/results.jsonl as one CSV row per point. A column is the JSON path of its value with
 * dots (`eval.perplexity`, `point.sparsity`); a list of targets or baselines is keyed by its name instead of
 * its position (`targets.loihi2.energy_per_token_j`, `baselines.dense-cpu.energy_per_token_j`), a list of
 * numbers by position (`eval.activity.0`). Left out, as too long for a row or not a result: `run` (timings of
 * this machine), `model.pruning` (every pruning round), and the per-projection and per-layer MAC lists.
 */
import * as path from 'path';
import { UserError } from '../models/config';
import { csvText, type CsvCell, type CsvRecord } from '../format/csv';
import { writeFileAtomic } from '../models/atomic';
import type { ResultLine } from './line';
import { RESULTS_FILE } from './paths';
import { readResults } from './results';

const LEFT_OUT = new Set(['run', 'model.pruning', 'eval.macs.by_projection', 'eval.macs.by_layer']);

export function resultRecord(line: ResultLine): CsvRecord {
  const out: CsvRecord = {};
  const visit = (value: unknown, at: string): void => {
    if (LEFT_OUT.has(at)) return;
    if (Array.isArray(value)) value.forEach((v, i) => visit(v, `${at}.${nameOf(v) ?? i}`));
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, at ? `${at}.${k}` : k);
    else out[at] = value as CsvCell;
  };
  visit(line, '');
  return out;
}

/** Writes the sweep's results so far as CSV; returns how many rows. */
export function writeSweepCsv(outDir: string, file: string): number {
  const lines = readResults(path.join(outDir, RESULTS_FILE)).lines;
  if (lines.length === 0) throw new UserError(`--csv ${file}: ${path.join(outDir, RESULTS_FILE)} holds no finished point yet`);
  writeFileAtomic(file, csvText(lines.map(resultRecord)));
  return lines.length;
}

/** An element of a list of targets or baselines names itself. */
function nameOf(v: unknown): string | undefined {
  if (v === null || typeof v !== 'object') return undefined;
  const o = v as { target?: unknown; baseline?: unknown };
  return typeof o.target === 'string' ? o.target : typeof o.baseline === 'string' ? o.baseline : undefined;
}

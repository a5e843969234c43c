/**
 * Reads the files given to `neuromap report`, tells eval results, simulation results and sweeps apart, and
 * validates each against report/schema.ts. A bad or foreign file is one UserError naming the file, the field
 * and what was expected.
 *
 * Recognised: `neuromap eval --json` (has `macs` and `layers`), `neuromap simulate --json` (has
 * `energy_per_token_j` and `per_core`), the dense baseline of `neuromap simulate M.egru --target dense-cpu|…
 * --json` (has `energy_per_token_j` and `baseline`), the demo's report.json (`models`: a list of eval results,
 * and `baselines`: dense baselines), and sweep results as JSON Lines (*.jsonl, or any file of one JSON object a
 * line).
 */
import * as path from 'path';
import type { z } from 'zod';
import { UserError } from '../models/config';
import { readFileForUser } from '../models/atomic';
import {
  BaselineResultSchema, EvalResultSchema, SimResultSchema, SweepLineSchema, type BaselineResult, type EvalResult, type SimResult, type SweepLine,
} from './schema';

export interface EvalInput { kind: 'eval'; file: string; label: string; result: EvalResult }
export interface SimInput { kind: 'simulate'; file: string; label: string; result: SimResult }
/** A dense baseline: an analytic estimate for a conventional processor, compared with the simulations. */
export interface BaselineInput { kind: 'baseline'; file: string; label: string; result: BaselineResult }
/** A run of the model itself (evaluated or simulated), with its layers' activity and its MACs. */
export type ModelInput = EvalInput | SimInput;
export type ReportInput = ModelInput | BaselineInput;
export interface Sweep { file: string; label: string; points: SweepLine[]; failed: number }

export interface ReportInputs {
  files: string[];
  runs: ReportInput[];
  sweeps: Sweep[];
}

export function readReportInputs(files: string[]): ReportInputs {
  if (!files.length) throw new UserError('name at least one result file (eval --json, simulate --json, or a sweep’s JSON Lines)');
  const runs: ReportInput[] = [];
  const sweeps: Sweep[] = [];
  for (const file of files) {
    const text = readFileForUser(file, 'result file').toString('utf8');
    const parsed = parseJson(text);
    if (/\.(jsonl|ndjson)$/i.test(file) || (!parsed.ok && looksLikeJsonLines(text))) sweeps.push(readSweep(file, text));
    else if (!parsed.ok) throw new UserError(`${file} is not JSON (${parsed.message}): report reads the JSON of neuromap eval/simulate --json, or a sweep’s JSON Lines`);
    else runs.push(...readRuns(file, parsed.value));
  }
  return { files, runs: uniqueLabels(runs), sweeps };
}

function readRuns(file: string, value: unknown): ReportInput[] {
  if (!isObject(value)) throw foreign(file, 'it is not a JSON object');
  if ('baseline' in value && 'energy_per_token_j' in value && !('per_core' in value)) return [baselineRun(file, value)];
  if ('energy_per_token_j' in value || 'per_core' in value) {
    const result = check(SimResultSchema, value, file);
    return [{ kind: 'simulate', file, label: simLabel(result), result }];
  }
  if (Array.isArray(value.models)) {
    const evals = value.models.map((m, i): ReportInput => {
      const result = check(EvalResultSchema, m, file, `models[${i}].`);
      return { kind: 'eval', file, label: evalLabel(result, file), result };
    });
    const baselines = Array.isArray(value.baselines) ? value.baselines.map((b, i) => baselineRun(file, b, `baselines[${i}].`)) : [];
    return [...evals, ...baselines];
  }
  if ('macs' in value || 'layers' in value) {
    const result = check(EvalResultSchema, value, file);
    return [{ kind: 'eval', file, label: evalLabel(result, file), result }];
  }
  throw foreign(file, 'it has none of macs, layers, energy_per_token_j, per_core');
}

function baselineRun(file: string, value: unknown, prefix = ''): BaselineInput {
  const result = check(BaselineResultSchema, value, file, prefix);
  return { kind: 'baseline', file, label: `${result.baseline} (baseline)`, result };
}

function readSweep(file: string, text: string): Sweep {
  const points: SweepLine[] = [];
  let failed = 0;
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const where = `${file} line ${i + 1}`;
    const parsed = parseJson(line);
    if (!parsed.ok) throw new UserError(`${where} is not JSON (${parsed.message}): a sweep file holds one JSON object a line`);
    if (!isObject(parsed.value)) throw new UserError(`${where} is not a JSON object: a sweep file holds one JSON object a line`);
    const point = check(SweepLineSchema, liftEval(parsed.value), where);
    if (point.error !== undefined) failed++;
    else points.push(point);
  });
  if (!points.length) throw new UserError(`${file} holds no finished sweep points${failed ? ` (${failed} failed)` : ''}`);
  return { file, label: path.basename(file).replace(/\.(jsonl|ndjson|json)$/i, ''), points, failed };
}

/**
 * A `neuromap sweep` result line (sweep/line.ts) keeps its batch-1 evaluation under `eval`; the sweep plot reads
 * perplexity and MACs from the top level, where hand-made lines put them.
 */
function liftEval(line: Record<string, unknown>): Record<string, unknown> {
  const e = line.eval;
  if (!isObject(e) || line.perplexity !== undefined) return line;
  return { ...line, perplexity: e.perplexity, macs: e.macs };
}

/** Parses with a schema; the first few problems become one UserError naming the file and each field. */
function check<S extends z.ZodType>(schema: S, value: unknown, where: string, prefix = ''): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 3).map((issue) => `${prefix}${fieldPath(issue.path)}: ${issue.message}`);
  const more = result.error.issues.length > 3 ? ` (and ${result.error.issues.length - 3} more)` : '';
  throw new UserError(`${where}: ${problems.join('; ')}${more}`);
}

/** ['per_core', 2, 'busy_s'] → "per_core[2].busy_s". */
export function fieldPath(parts: readonly PropertyKey[]): string {
  const text = parts.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
  return text || '(top level)';
}

function foreign(file: string, why: string): UserError {
  return new UserError(`${file} is not a neuromap result (${why}): report reads the JSON of neuromap eval --json or simulate --json, or a sweep’s JSON Lines`);
}

type Parsed = { ok: true; value: unknown } | { ok: false; message: string };

function parseJson(text: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
}

function looksLikeJsonLines(text: string): boolean {
  const lines = text.split('\n').filter((l) => l.trim());
  return lines.length > 1 && parseJson(lines[0]).ok;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function simLabel(r: SimResult): string {
  return [r.target, r.arithmetic && `(${r.arithmetic}${r.schedule && r.schedule !== 'sequential' ? `, ${r.schedule}` : ''})`].filter(Boolean).join(' ');
}

function evalLabel(r: EvalResult, file: string): string {
  return path.basename(r.model ?? file).replace(/\.(egru|json)$/i, '');
}

/** Two runs with the same label get their file's name after it, and a number if that is not enough. */
function uniqueLabels(runs: ReportInput[]): ReportInput[] {
  const seen = new Map<string, number>();
  for (const r of runs) seen.set(r.label, (seen.get(r.label) ?? 0) + 1);
  const out = runs.map((r) => (seen.get(r.label)! > 1 ? { ...r, label: `${r.label} · ${path.basename(r.file)}` } : r));
  const used = new Map<string, number>();
  return out.map((r) => {
    const n = (used.get(r.label) ?? 0) + 1;
    used.set(r.label, n);
    return n > 1 ? { ...r, label: `${r.label} #${n}` } : r;
  });
}

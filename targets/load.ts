/**
 * Reads target descriptions and dense baselines: the only place that sees YAML or JSON. Everything downstream gets a
 * validated, frozen `Target`. Shipped targets are the data files next to this one, found by name.
 */
import * as fs from 'fs';
import * as path from 'path';
import YAML from 'yaml';
import type { z } from 'zod';
import { UserError } from '../models/config';
import { readFileForUser } from '../models/atomic';
import { TargetSchema, type Target } from './schema';

const DATA_EXTENSIONS = ['.yaml', '.yml', '.json'];

/**
 * Reads one kind of data file (targets here, dense baselines in targets/baselines/): by name from `dir`, or by
 * path; each file parsed and validated once per process (cached by absolute path), frozen, and every problem
 * reported as one line `label: field.path: what is wrong`.
 */
export interface DataFiles<T> {
  /** Names of the shipped files in the folder, sorted. */
  list(): string[];
  /** A shipped file by name, or any file by path. */
  load(nameOrPath: string): T;
  /** Parses and validates one description; `label` names it in error messages. */
  parse(text: string, label: string, format: 'yaml' | 'json'): T;
  /** Validates already-parsed data. */
  validate(data: unknown, label: string): T;
}

export function dataFiles<T>(schema: z.ZodType<T>, dir: string, kind: string): DataFiles<T> {
  const cache = new Map<string, T>();
  const list = () =>
    fs.existsSync(dir)
      ? fs.readdirSync(dir).filter((f) => DATA_EXTENSIONS.includes(path.extname(f))).map((f) => path.basename(f, path.extname(f))).sort()
      : [];
  const resolve = (nameOrPath: string) => {
    const looksLikePath = /[\\/]/.test(nameOrPath) || DATA_EXTENSIONS.includes(path.extname(nameOrPath));
    if (looksLikePath) {
      const file = path.resolve(nameOrPath);
      if (!fs.existsSync(file)) throw new UserError(`no such ${kind} file: ${nameOrPath}`);
      return file;
    }
    for (const ext of DATA_EXTENSIONS) {
      const file = path.join(dir, nameOrPath + ext);
      if (fs.existsSync(file)) return file;
    }
    throw new UserError(`unknown ${kind} "${nameOrPath}"; known ${kind}s: ${list().join(', ')} (or give the path of a .yaml or .json file)`);
  };
  const validate = (data: unknown, label: string): T => {
    const result = schema.safeParse(data);
    if (!result.success) throw new UserError(result.error.issues.map((i) => `${label}: ${describeIssue(i, data)}`).join('\n'));
    return deepFreeze(result.data);
  };
  const parse = (text: string, label: string, format: 'yaml' | 'json'): T => {
    let data: unknown;
    try {
      data = format === 'json' ? JSON.parse(text) : YAML.parse(text);
    } catch (err) {
      // The first line of the parser's message says what and where (line/column for YAML).
      throw new UserError(`${label}: not valid ${format.toUpperCase()}: ${(err as Error).message.split('\n')[0].replace(/:$/, '')}`);
    }
    return validate(data, label);
  };
  const load = (nameOrPath: string): T => {
    const file = resolve(nameOrPath);
    const cached = cache.get(file);
    if (cached) return cached;
    const label = path.dirname(file) === dir ? `${path.relative(path.dirname(__dirname), file)}` : nameOrPath;
    const value = parse(readFileForUser(file, `${kind} file`).toString('utf8'), label, path.extname(file) === '.json' ? 'json' : 'yaml');
    cache.set(file, value);
    return value;
  };
  return { list, load, parse, validate };
}

const targets = dataFiles<Target>(TargetSchema, __dirname, 'target');

/** Names of the shipped targets (the data files in targets/), sorted. */
export const listTargets = (): string[] => targets.list();

/** A shipped target by name (`loihi`), or a file by path (`my/chip.yaml`). */
export const loadTarget = (nameOrPath: string): Target => targets.load(nameOrPath);

/** Parses and validates one description; `label` names it in error messages. */
export const parseTarget = (text: string, label: string, format: 'yaml' | 'json'): Target => targets.parse(text, label, format);

/** Validates already-parsed data; every problem becomes one line `label: field.path: what is wrong`. */
export const validateTarget = (data: unknown, label: string): Target => targets.validate(data, label);

function describeIssue(issue: z.core.$ZodIssue, data: unknown): string {
  const where = issue.path.length ? issue.path.join('.') : '(top level)';
  const actual = valueAt(data, issue.path);
  switch (issue.code) {
    case 'invalid_type':
      return actual === undefined
        ? `${where}: missing (expected ${issue.expected})`
        : `${where}: expected ${issue.expected === 'int' ? 'a whole number' : issue.expected}, got ${kindOf(actual)}`;
    case 'unrecognized_keys':
      return `${where}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
    case 'invalid_value':
      return `${where}: expected one of ${issue.values.map((v) => String(v)).join(', ')}, got ${JSON.stringify(actual)}`;
    case 'invalid_union': {
      // A discriminated union whose tag matched none of the options: name the options, not zod's wording.
      const options = (issue as { options?: unknown[] }).options;
      return options
        ? `${where}: expected one of ${options.map(String).join(', ')}, got ${JSON.stringify(actual)}`
        : `${where}: ${issue.message}`;
    }
    case 'too_small':
    case 'too_big':
    case 'not_multiple_of':
      return `${where}: ${issue.message} (got ${typeof actual === 'number' ? actual : JSON.stringify(actual)})`;
    default:
      return `${where}: ${issue.message}`;
  }
}

function valueAt(data: unknown, keys: readonly PropertyKey[]): unknown {
  let v = data;
  for (const k of keys) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  // JSON.stringify writes Infinity and NaN as null (YAML's .inf read as 'number null'): name them as they are.
  if (typeof v === 'number' && !Number.isFinite(v)) return `${v} (numbers must be finite)`;
  return typeof v === 'object' ? 'object' : `${typeof v} ${JSON.stringify(v)}`;
}

/** Cached targets are shared by every consumer, so none may change one under another's feet. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

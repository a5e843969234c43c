/**
 * Reads target descriptions: the only place that sees YAML or JSON. Everything downstream gets a
 * validated, frozen `Target`. Shipped targets are the data files next to this one, found by name.
 */
import * as fs from 'fs';
import * as path from 'path';
import YAML from 'yaml';
import type { z } from 'zod';
import { UserError } from '../models/config';
import { TargetSchema, type Target } from './schema';

const DATA_EXTENSIONS = ['.yaml', '.yml', '.json'];

/** Parsed targets by absolute path: each file is read and validated once per process. */
const cache = new Map<string, Target>();

/** Names of the shipped targets (the data files in targets/), sorted. */
export function listTargets(): string[] {
  return fs
    .readdirSync(__dirname)
    .filter((f) => DATA_EXTENSIONS.includes(path.extname(f)))
    .map((f) => path.basename(f, path.extname(f)))
    .sort();
}

/** A shipped target by name (`loihi`), or a file by path (`my/chip.yaml`). */
export function loadTarget(nameOrPath: string): Target {
  const file = resolveTarget(nameOrPath);
  const cached = cache.get(file);
  if (cached) return cached;
  const label = path.dirname(file) === __dirname ? `targets/${path.basename(file)}` : nameOrPath;
  const target = parseTarget(fs.readFileSync(file, 'utf8'), label, path.extname(file) === '.json' ? 'json' : 'yaml');
  cache.set(file, target);
  return target;
}

function resolveTarget(nameOrPath: string): string {
  const looksLikePath = /[\\/]/.test(nameOrPath) || DATA_EXTENSIONS.includes(path.extname(nameOrPath));
  if (looksLikePath) {
    const file = path.resolve(nameOrPath);
    if (!fs.existsSync(file)) throw new UserError(`no such target file: ${nameOrPath}`);
    return file;
  }
  for (const ext of DATA_EXTENSIONS) {
    const file = path.join(__dirname, nameOrPath + ext);
    if (fs.existsSync(file)) return file;
  }
  throw new UserError(
    `unknown target "${nameOrPath}"; known targets: ${listTargets().join(', ')} (or give the path of a .yaml or .json file)`,
  );
}

/** Parses and validates one description; `label` names it in error messages. */
export function parseTarget(text: string, label: string, format: 'yaml' | 'json'): Target {
  let data: unknown;
  try {
    data = format === 'json' ? JSON.parse(text) : YAML.parse(text);
  } catch (err) {
    // The first line of the parser's message says what and where (line/column for YAML).
    throw new UserError(`${label}: not valid ${format.toUpperCase()}: ${(err as Error).message.split('\n')[0].replace(/:$/, '')}`);
  }
  return validateTarget(data, label);
}

/** Validates already-parsed data; every problem becomes one line `label: field.path: what is wrong`. */
export function validateTarget(data: unknown, label: string): Target {
  const result = TargetSchema.safeParse(data);
  if (!result.success) throw new UserError(result.error.issues.map((i) => `${label}: ${describeIssue(i, data)}`).join('\n'));
  return deepFreeze(result.data);
}

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
      return `${where}: ${issue.message} (got ${JSON.stringify(actual)})`;
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

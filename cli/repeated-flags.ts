/**
 * A flag that takes one value, given twice. yargs turns `train --lr 1e-3 --lr 2e-3` into the list [0.001, 0.002]
 * and hands it on where one number is expected; this check runs first (as middleware before validation, for every
 * command) and refuses it in one line: "--lr given twice (1e-3 and 2e-3): give it once".
 */
import { UserError } from '../models/config';
import { kebab, type KnownOptions } from './unknown-flags';

/**
 * What yargs knows of the command's options, with the ones that take a list (`array: true`), and the old names
 * cli/old-names.ts keeps (deprecated: the new flag, e.g. `{ 'max-tokens': '--train-tokens' }`).
 */
export interface OptionKinds extends KnownOptions {
  array: string[];
  boolean: string[];
  deprecatedOptions?: Record<string, string | boolean>;
}

/** The first option of `raw` (the command line as typed, up to a bare `--`) given more than once that takes one value. */
export function repeatedFlag(raw: string[], known: OptionKinds): UserError | null {
  const keyOf = new Map<string, string>();
  for (const key of Object.keys(known.key)) for (const n of [key, ...(known.alias[key] ?? [])]) keyOf.set(n, key), keyOf.set(kebab(n), key);
  // An old name and its new one are one flag: the handler reads one value.
  for (const [old, now] of Object.entries(known.deprecatedOptions ?? {})) {
    const key = typeof now === 'string' && now.startsWith('--') ? keyOf.get(now.slice(2)) : undefined;
    if (key !== undefined) keyOf.set(old, key), keyOf.set(kebab(old), key);
  }
  const lists = new Set(known.array.flatMap((k) => [k, kebab(k)]));
  const flags = new Set(known.boolean.flatMap((k) => [k, kebab(k)]));
  const end = raw.indexOf('--');
  const tokens = end < 0 ? raw : raw.slice(0, end);
  const seen = new Map<string, { names: string[]; values: (string | undefined)[] }>();
  tokens.forEach((token, i) => {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(token);
    if (!m) return;
    const negated = m[1].startsWith('no-') && !keyOf.has(m[1]);
    const key = keyOf.get(negated ? m[1].slice(3) : m[1]);
    if (key === undefined || lists.has(key)) return;
    const next = tokens[i + 1];
    const value = m[2] ?? (flags.has(key) || negated || next === undefined || next.startsWith('--') ? undefined : next);
    const entry = seen.get(key) ?? { names: [], values: [] };
    entry.names.push(`--${m[1]}`);
    entry.values.push(value);
    seen.set(key, entry);
  });
  for (const [key, { names, values }] of seen) {
    if (names.length < 2) continue;
    // Under an old name and the new one (not merely camelCase and kebab-case), each value is shown with its name.
    const renamed = names.some((n) => kebab(n) !== kebab(names[0]));
    const given = values.every((v) => v !== undefined)
      ? ` (${inWords(renamed ? names.map((n, i) => `${n} ${values[i]}`) : (values as string[]))})`
      : names.some((n) => n !== names[0]) ? ` (${inWords(names)})` : '';
    const times = names.length === 2 ? 'twice' : `${names.length} times`;
    return new UserError(`--${kebab(key)} given ${times}${given}: give it once`);
  }
  return null;
}

/** ["a", "b", "c"] → "a, b and c". */
function inWords(items: string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

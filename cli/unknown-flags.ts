/**
 * Misspelt flags. yargs' strict mode checks required options before unknown ones, so `compile --ouput f.nmap`
 * said "Missing required argument: out"; this check runs first (as middleware before validation) and names the
 * flag the user most likely meant: "unknown option --ouput: did you mean --out?".
 */
import { UserError } from '../models/config';

/** What yargs knows of the command being parsed (`getOptions()` of the command's yargs instance). */
export interface KnownOptions {
  key: Record<string, unknown>;
  alias: Record<string, string[]>;
  hiddenOptions: string[];
}

/**
 * The first `--flag` of `raw` (the command line as typed, up to a bare `--`) that no option of `known` takes, as
 * a UserError suggesting the nearest visible option; null when every flag is known.
 */
export function unknownFlag(raw: string[], known: KnownOptions, command: string): UserError | null {
  const names = new Set<string>();
  for (const [key, aliases] of [...Object.keys(known.key).map((k) => [k, []] as [string, string[]]), ...Object.entries(known.alias)])
    for (const n of [key, ...aliases]) names.add(n), names.add(kebab(n));
  const aliasNames = new Set(Object.values(known.alias).flat());
  const hidden = new Set(known.hiddenOptions);
  const visible = [...new Set(Object.keys(known.key).map(kebab))].filter((k) => !hidden.has(k) && !aliasNames.has(k));
  const end = raw.indexOf('--');
  for (const token of end < 0 ? raw : raw.slice(0, end)) {
    const m = /^--([^=]+)/.exec(token);
    if (!m) continue;
    const name = m[1];
    if (names.has(name) || (name.startsWith('no-') && names.has(name.slice(3)))) continue;
    const near = nearest(name.startsWith('no-') ? name.slice(3) : name, visible);
    const help = `neuromap ${command ? `${command} ` : ''}--help lists the options`;
    return new UserError(`unknown option --${name}${near ? `: did you mean --${name.startsWith('no-') ? 'no-' : ''}${near}?` : ''} (${help})`);
  }
  return null;
}

export function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The candidate within a few edits (a third of the name's length, at least 2), the closest first, ties by order. */
function nearest(name: string, candidates: string[]): string | null {
  let best: string | null = null, bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours cost 1. */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.length][b.length];
}

/**
 * Every number of a target as a flat row (path, value, unit, source), for `neuromap targets show`,
 * reports and tests. The unit comes from the key's suffix, the convention every target file follows.
 */
import type { Baseline } from './baseline-schema';
import type { Target } from './schema';

export interface QuantityRow {
  path: string;
  value: number;
  unit: string;
  source: string;
}

const UNITS: [suffix: string, unit: string][] = [
  // Rates first: `_per_s` is not a time (dense baselines: peak_macs_per_s, dram_bytes_per_s).
  ['_bytes_per_s', 'B/s'],
  ['_per_s', '/s'],
  ['_j', 'J'],
  ['_s', 's'],
  ['_w', 'W'],
  ['_hz', 'Hz'],
  ['_bytes', 'B'],
  ['_bits', 'bit'],
];

/** The SI unit a key names by its suffix ('' for plain counts). */
export function unitOf(key: string): string {
  return UNITS.find(([suffix]) => key.endsWith(suffix))?.[1] ?? '';
}

/** All `{ value, source }` leaves, depth first, in file order (of a target or of a dense baseline). */
export function quantities(target: Target | Baseline): QuantityRow[] {
  const rows: QuantityRow[] = [];
  const walk = (node: unknown, path: string[]): void => {
    if (node === null || typeof node !== 'object') return;
    const rec = node as Record<string, unknown>;
    if (typeof rec.value === 'number' && typeof rec.source === 'string') {
      rows.push({ path: path.join('.'), value: rec.value, unit: unitOf(path[path.length - 1] ?? ''), source: rec.source });
      return;
    }
    for (const [k, v] of Object.entries(rec)) walk(v, [...path, k]);
  };
  walk(target, []);
  return rows;
}

const PREFIXES: [factor: number, prefix: string][] = [
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
  [1, ''],
  [1e-3, 'm'],
  [1e-6, 'µ'],
  [1e-9, 'n'],
  [1e-12, 'p'],
  [1e-15, 'f'],
];

/** `2.36e-11, 'J'` → `23.6 pJ`; counts and bits print as they are, bytes with thousands separators. */
export function formatQuantity(value: number, unit: string): string {
  if (unit === '' || unit === 'bit' || unit === 'B' || value === 0) return `${value.toLocaleString('en-US')}${unit ? ' ' + unit : ''}`;
  const [factor, prefix] = PREFIXES.find(([f]) => Math.abs(value) >= f * 0.9995) ?? PREFIXES[PREFIXES.length - 1];
  return `${Number((value / factor).toPrecision(5))} ${prefix}${unit}`;
}

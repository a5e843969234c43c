/** SI prefixes, in one table: a single value with its own prefix (`si`), or one prefix for a whole axis (`siScale`). */

const PREFIXES: [number, string][] = [[1e9, 'G'], [1e6, 'M'], [1e3, 'k'], [1, ''], [1e-3, 'm'], [1e-6, 'µ'], [1e-9, 'n'], [1e-12, 'p']];

/** The largest prefix not above |x| (the smallest one below the table's range). */
function prefixFor(x: number): [number, string] {
  return PREFIXES.find(([s]) => Math.abs(x) >= s) ?? PREFIXES[PREFIXES.length - 1];
}

/** SI with a unit, three significant digits: 1.23 mJ, 45.6 µs, 3.32 kB. */
export function si(x: number, unit: string): string {
  if (x === 0) return `0 ${unit}`;
  const [scale, p] = prefixFor(x);
  return `${(x / scale).toPrecision(3)} ${p}${unit}`;
}

export interface Scale {
  /** Multiply a value in base units by this. */
  factor: number;
  /** The unit with its prefix, e.g. "µJ". */
  unit: string;
}

/** One SI prefix for a whole axis, chosen from its largest value: 3.2e-6 J → values in µJ. */
export function siScale(values: number[], unit: string): Scale {
  const max = Math.max(0, ...values.map(Math.abs).filter(Number.isFinite));
  const [size, prefix] = max === 0 ? [1, ''] : prefixFor(max);
  return { factor: 1 / size, unit: `${prefix}${unit}` };
}

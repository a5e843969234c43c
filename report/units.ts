/** One SI prefix for a whole axis, chosen from its largest value: 3.2e-6 J → values in µJ. */

export interface Scale {
  /** Multiply a value in base units by this. */
  factor: number;
  /** The unit with its prefix, e.g. "µJ". */
  unit: string;
}

const PREFIXES: [number, string][] = [[1e9, 'G'], [1e6, 'M'], [1e3, 'k'], [1, ''], [1e-3, 'm'], [1e-6, 'µ'], [1e-9, 'n'], [1e-12, 'p']];

export function siScale(values: number[], unit: string): Scale {
  const max = Math.max(0, ...values.map(Math.abs).filter(Number.isFinite));
  const [size, prefix] = max === 0 ? [1, ''] : PREFIXES.find(([s]) => max >= s) ?? PREFIXES[PREFIXES.length - 1];
  return { factor: 1 / size, unit: `${prefix}${unit}` };
}

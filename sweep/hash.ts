/**
 * Stable keys and seeds: a key is a hash of the canonical JSON (object keys sorted) of what determines a result,
 * so the same settings give the same key on every run and machine, whatever order the file listed them in.
 */
import { createHash } from 'crypto';

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** 12 hex digits of SHA-256: short enough for file names, collisions negligible at sweep sizes. */
export function keyOf(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 12);
}

/** A point's seed: the config seed and the point's key hashed together, in [0, 2^31). */
export function deriveSeed(baseSeed: number, key: string): number {
  return parseInt(createHash('sha256').update(`${baseSeed}:${key}`).digest('hex').slice(0, 8), 16) & 0x7fffffff;
}

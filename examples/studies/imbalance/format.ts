/** Helpers shared by the study's summaries: JSON files of a folder, SI units, percentages. */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A reader of DIR's JSON files: the parsed file, or null when it is missing. */
export const jsonIn = (dir: string) => (f: string) => (fs.existsSync(path.join(dir, f)) ? JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) : null);

export const si = (x: number, u: string) => {
  if (x === 0) return `0 ${u}`;
  for (const [s, n] of [[1, ''], [1e-3, 'm'], [1e-6, 'µ'], [1e-9, 'n'], [1e-12, 'p']] as const)
    if (Math.abs(x) >= s) return `${(x / s).toPrecision(3)} ${n}${u}`;
  return `${x.toExponential(2)} ${u}`;
};

export const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

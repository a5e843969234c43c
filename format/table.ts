/** Aligned plain-text tables for terminal output: columns padded to their widest cell, numbers right-aligned. */

export type Cell = string | number;
export type Align = 'left' | 'right';

export interface TableOptions {
  /** Column titles, printed above a rule of dashes. */
  header?: string[];
  /** Per column; by default a column is right-aligned when its body cells are all numbers. */
  align?: Align[];
  /** Spaces before each line. */
  indent?: number;
  /** Spaces between columns. */
  gap?: number;
}

export function formatTable(rows: Cell[][], options: TableOptions = {}): string {
  const { header, indent = 0, gap = 2 } = options;
  // reduce, not Math.max(...rows): spreading 300k rows into one call overflows the call stack.
  const columns = rows.reduce((most, r) => Math.max(most, r.length), header?.length ?? 0);
  const align = Array.from({ length: columns }, (_, c) =>
    options.align?.[c] ?? (rows.length && rows.every((r) => typeof r[c] === 'number') ? 'right' : 'left'),
  );
  const text = rows.map((r) => Array.from({ length: columns }, (_, c) => cellText(r[c])));
  const all = header ? [header, ...text] : text;
  const widths = Array.from({ length: columns }, (_, c) => all.reduce((most, r) => Math.max(most, width(r[c] ?? '')), 0));
  const line = (cells: string[]) =>
    ' '.repeat(indent) +
    cells
      .map((cell, c) => pad(cell ?? '', widths[c], align[c], c === columns - 1))
      .join(' '.repeat(gap))
      .trimEnd();
  const lines = text.map(line);
  if (header) lines.unshift(line(header), line(widths.map((w) => '-'.repeat(w))));
  return lines.join('\n');
}

/** A two-column table of labels and values, no header. */
export function formatPairs(pairs: [string, Cell][], indent = 2): string {
  return formatTable(pairs, { indent, align: ['left', 'left'] });
}

/** 1234567 → "1,234,567". */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** (1, 'route') → "1 route"; (1234, 'route') → "1,234 routes". */
export function formatCountOf(n: number, noun: string, plural = `${noun}s`): string {
  return `${formatCount(n)} ${n === 1 ? noun : plural}`;
}

/** 0.8531 → "85.3%". */
export function formatPercent(fraction: number, digits = 1): string {
  return `${(100 * fraction).toFixed(digits)}%`;
}

/** A number as people read it: integers with separators, others to `digits` significant digits. */
export function formatNumber(x: number, digits = 6): string {
  if (Number.isInteger(x)) return formatCount(x);
  if (!Number.isFinite(x)) return String(x);
  return String(Number(x.toPrecision(digits)));
}

function cellText(cell: Cell | undefined): string {
  if (cell === undefined) return '';
  return typeof cell === 'number' ? formatNumber(cell) : cell;
}

// Code points, not UTF-16 units, so "γ" or "×" count as one column.
function width(s: string): number {
  return [...s].length;
}

function pad(s: string, w: number, align: Align, last: boolean): string {
  const fill = ' '.repeat(Math.max(0, w - width(s)));
  if (align === 'right') return fill + s;
  return last ? s : s + fill;
}

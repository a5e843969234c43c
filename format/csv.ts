/**
 * CSV files of results (`eval --csv`, `simulate --csv/--csv-steps`, `sweep --csv`), as RFC 4180 says: a header
 * line, CRLF line ends, a field quoted when it holds a comma, a double quote, CR or LF, quotes inside doubled.
 * Numbers are written as JavaScript prints them (shortest text that reads back as the same double), so a
 * value read back equals the JSON one; an absent value is an empty field. Commands write the text as they
 * write every file, to a temporary file renamed into place (models/atomic.ts), with their other outputs.
 */
export type CsvCell = string | number | boolean | null | undefined;
export type CsvRecord = Record<string, CsvCell>;

/** The file's text: columns are the records' keys in order of first appearance. */
export function csvText(records: readonly CsvRecord[]): string {
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const r of records) for (const key of Object.keys(r)) if (!seen.has(key)) (seen.add(key), columns.push(key));
  const lines = [columns, ...records.map((r) => columns.map((c) => r[c]))].map((cells) => cells.map(field).join(','));
  return lines.map((line) => `${line}\r\n`).join('');
}

function field(cell: CsvCell): string {
  if (cell === null || cell === undefined) return '';
  const text = String(cell);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

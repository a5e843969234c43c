/**
 * An RFC 4180 reader written for the tests, independent of format/csv.ts: records end in CRLF, a quoted field
 * may hold commas, CR, LF and doubled quotes. Returns the rows as objects keyed by the header.
 */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let fieldText = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"' && text[i + 1] === '"') (fieldText += '"'), (i += 2);
        else if (text[i] === '"') break;
        else fieldText += text[i++];
      }
      i++;
    }
    if (text[i] === ',') (row.push(fieldText), (fieldText = ''), i++);
    else if (text.startsWith('\r\n', i)) (row.push(fieldText), rows.push(row), (row = []), (fieldText = ''), (i += 2));
    else if (i < text.length) fieldText += text[i++];
  }
  if (fieldText !== '' || row.length) throw new Error('the last record does not end in CRLF');
  const [header, ...body] = rows;
  for (const r of body) if (r.length !== header.length) throw new Error(`a record of ${r.length} fields under a header of ${header.length}`);
  return body.map((r) => Object.fromEntries(header.map((h, k) => [h, r[k]])));
}

/**
 * Reads every chunk's Stryker JSON report (mutation-testing-report-schema) and sums them into one score per file,
 * per folder and overall, with Stryker's own definition: detected (killed, timeout) over detected plus undetected
 * (survived, no coverage); mutants that do not compile or crash the run, and the static ones not run, count in
 * neither.
 */
import { readReportText } from './store';

interface ReportMutant {
  id: string;
  mutatorName: string;
  replacement?: string;
  status: string;
  location: { start: { line: number; column: number } };
}
interface Report {
  files: Record<string, { mutants: ReportMutant[] }>;
}

export interface Tally {
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
  /** Static mutants, skipped by `ignoreStatic` (scripts/mutation.ts says why). */
  ignored: number;
  /** Mutants that do not compile or crash the test run. */
  invalid: number;
}

const empty = (): Tally => ({ killed: 0, timeout: 0, survived: 0, noCoverage: 0, ignored: 0, invalid: 0 });

export function score(t: Tally): number {
  const detected = t.killed + t.timeout;
  const valid = detected + t.survived + t.noCoverage;
  return valid === 0 ? NaN : (100 * detected) / valid;
}

function add(t: Tally, status: string): void {
  if (status === 'Killed') t.killed++;
  else if (status === 'Timeout') t.timeout++;
  else if (status === 'Survived') t.survived++;
  else if (status === 'NoCoverage') t.noCoverage++;
  else if (status === 'Ignored') t.ignored++;
  else t.invalid++;
}

export interface Undetected {
  file: string;
  line: number;
  status: string;
  mutator: string;
  replacement: string;
}

/** Sums the reports given; a file counts only from the report of the chunk that holds it now. */
export function readReports(reports: { path: string; files: string[] }[]): { files: Map<string, Tally>; undetected: Undetected[] } {
  const files = new Map<string, Tally>();
  const undetected: Undetected[] = [];
  for (const { path: reportPath, files: owned } of reports) {
    const report = JSON.parse(readReportText(reportPath)) as Report;
    for (const [file, { mutants }] of Object.entries(report.files)) {
      if (!owned.includes(file)) continue;
      const tally = files.get(file) ?? empty();
      files.set(file, tally);
      for (const m of mutants) {
        add(tally, m.status);
        if (m.status === 'Survived' || m.status === 'NoCoverage') {
          undetected.push({ file, line: m.location.start.line, status: m.status, mutator: m.mutatorName, replacement: (m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 80) });
        }
      }
    }
  }
  return { files, undetected };
}

/**
 * Two decimals, cut rather than rounded, so a score just under a target never prints as the target (compiler/'s
 * 84.955% printed as 85.0%). A file whose every mutant was discarded (e.g. types only) has no score: say so rather
 * than print NaN%.
 */
export const percent = (x: number) => (Number.isNaN(x) ? 'n/a (none scored)' : `${(Math.floor(x * 100) / 100).toFixed(2)}%`);

export function scoreTable(files: Map<string, Tally>): string {
  const rows: string[] = ['| scope | killed | timeout | survived | no coverage | static (not run) | invalid | score |', '|---|---|---|---|---|---|---|---|'];
  const row = (name: string, t: Tally) =>
    rows.push(`| ${name} | ${t.killed} | ${t.timeout} | ${t.survived} | ${t.noCoverage} | ${t.ignored} | ${t.invalid} | ${percent(score(t))} |`);
  const folders = new Map<string, Tally>();
  const total = empty();
  for (const [file, t] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    const folder = file.split('/')[0];
    const f = folders.get(folder) ?? empty();
    folders.set(folder, f);
    for (const k of Object.keys(t) as (keyof Tally)[]) {
      f[k] += t[k];
      total[k] += t[k];
    }
    row(file, t);
  }
  for (const [folder, t] of folders) row(`**${folder}/**`, t);
  row('**all**', total);
  return rows.join('\n');
}

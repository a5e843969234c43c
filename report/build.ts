/**
 * The report end to end: read and check the inputs, build the plot specs and headline tables, render the plots
 * to SVG, write the HTML page (and PNGs if asked) atomically. The CLI prints `text`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { formatTable } from '../format/table';
import { UserError } from '../models/config';
import { describeIoError, writeFileAtomic } from '../models/atomic';
import { NEUROMAP_VERSION } from '../pipeline/provenance';
import { findings } from './findings';
import { headlineTables, type TextTable } from './headline';
import { reportHtml } from './html';
import { readReportInputs } from './inputs';
import type { Plot } from './plot';
import { reportPlots } from './plots';
import { svgToPng } from './png';
import { renderSvgs } from './svg';

export interface ReportOptions {
  out: string;
  /** Also write one PNG per plot into this folder. */
  pngDir?: string;
  title?: string;
  /** Lines under the title, after the neuromap version: the settings the runs share (the demo's corpus, seed, tokens). */
  notes?: string[];
}

export interface ReportResult {
  /** The headline tables as the terminal shows them. */
  text: string;
  plots: Plot[];
  written: string[];
  warnings: string[];
}

export async function buildReport(files: string[], options: ReportOptions): Promise<ReportResult> {
  const inputs = readReportInputs(files);
  checkFolder(path.dirname(path.resolve(options.out)), options.out);
  const tables = headlineTables(inputs);
  const sentences = findings(inputs);
  const plots = reportPlots(inputs);
  const { svgs, warnings } = await renderSvgs(plots.map((p) => p.spec));
  const html = reportHtml({
    title: options.title ?? 'neuromap report', sources: files, tables, notes: [`neuromap ${NEUROMAP_VERSION}`, ...(options.notes ?? [])],
    findings: sentences, plots: plots.map((plot, i) => ({ plot, svg: svgs[i] })),
  });
  writeFileAtomic(options.out, html);
  const written = [options.out];
  if (options.pngDir) {
    makeDir(options.pngDir);
    plots.forEach((p, i) => {
      const file = path.join(options.pngDir as string, `${p.id}.png`);
      writeFileAtomic(file, svgToPng(svgs[i]));
      written.push(file);
    });
  }
  const text = [...(sentences.length ? [sentences.join('\n')] : []), ...tables.map(tableText)].join('\n\n');
  return { text, plots, written, warnings };
}

export function tableText(t: TextTable): string {
  return `${t.title}\n${formatTable(t.rows, { header: t.header, align: t.align })}${t.note ? `\n${t.note}` : ''}`;
}

/** Fails before the rendering, not after it, when the page cannot be written where asked. */
function checkFolder(dir: string, out: string): void {
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new UserError(`cannot write ${out}: its folder ${dir} does not exist`);
}

function makeDir(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new UserError(`cannot create the PNG folder ${dir}: ${describeIoError(err)}`);
  }
}

/**
 * One self-contained HTML page: inline CSS, the headline tables, and every plot as inline SVG. Nothing is
 * fetched and no script runs, so the file opens anywhere, offline, and can be mailed or archived as is.
 *
 * Inline SVGs lose their xmlns attributes (the HTML parser puts <svg> in the SVG namespace by itself, and the
 * page then holds no http(s) address at all), and their element ids get a per-plot prefix, since ids (clip
 * paths, gradients) must be unique across the page.
 */
import type { Plot } from './plot';
import type { TextTable } from './headline';
import { FONT } from './theme';

export interface Page {
  title: string;
  /** The input files, as given on the command line. */
  sources: string[];
  tables: TextTable[];
  plots: { plot: Plot; svg: string }[];
  /** Short lines under the title: the neuromap version, the run settings. */
  notes?: string[];
  /** One sentence per comparison (findings.ts), shown first. */
  findings?: string[];
}

export function reportHtml(page: Page): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(page.title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<header>',
    `<h1>${escapeHtml(page.title)}</h1>`,
    `<p class="sources">From ${page.sources.map((s) => `<code>${escapeHtml(s)}</code>`).join(', ')}</p>`,
    ...(page.notes ?? []).map((n) => `<p class="note">${escapeHtml(n)}</p>`),
    page.plots.length ? `<nav>${page.plots.map(({ plot }) => `<a href="#${plot.id}">${escapeHtml(plot.title)}</a>`).join(' · ')}</nav>` : '',
    '</header>',
    '<main>',
    page.findings?.length ? `<section class="findings"><h2>What the runs show</h2><ul>${page.findings.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul></section>` : '',
    ...page.tables.map(tableHtml),
    ...page.plots.map(({ plot, svg }) => figureHtml(plot, svg)),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function tableHtml(t: TextTable): string {
  const cell = (tag: 'th' | 'td', text: string, c: number) => `<${tag} class="${t.align[c] ?? 'left'}">${escapeHtml(text)}</${tag}>`;
  return [
    `<section class="table"><h2>${escapeHtml(t.title)}</h2>`,
    '<div class="scroll"><table>',
    `<thead><tr>${t.header.map((h, c) => cell('th', h, c)).join('')}</tr></thead>`,
    `<tbody>${t.rows.map((r) => `<tr>${r.map((v, c) => cell('td', v, c)).join('')}</tr>`).join('\n')}</tbody>`,
    '</table></div>',
    t.note ? `<p class="note">${escapeHtml(t.note)}</p>` : '',
    '</section>',
  ].join('\n');
}

function figureHtml(plot: Plot, svg: string): string {
  return [
    `<section class="plot" id="${escapeHtml(plot.id)}">`,
    `<h2>${escapeHtml(plot.title)}</h2>`,
    '<figure>',
    inlineSvg(svg, plot),
    `<figcaption>${escapeHtml(plot.caption)}</figcaption>`,
    '</figure>',
    '</section>',
  ].join('\n');
}

/** The SVG ready to sit inside HTML: no namespace declarations, ids scoped to the plot, labelled for readers. */
export function inlineSvg(svg: string, plot: Plot): string {
  const prefix = `${plot.id}-`;
  return svg
    .replace(/^<\?xml[^>]*>\s*/, '')
    .replace(/\s+xmlns(:\w+)?="[^"]*"/g, '')
    .replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${prefix}${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${prefix}${id})`)
    .replace(/\b(xlink:)?href="#([^"]+)"/g, (_, x: string | undefined, id: string) => `${x ?? ''}href="#${prefix}${id}"`)
    .replace(/^<svg\b/, `<svg role="img" aria-label="${escapeHtml(plot.title)}" data-plot="${escapeHtml(plot.id)}"`);
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const CSS = `
:root { color-scheme: light; }
body { font-family: ${FONT}; margin: 0 auto; max-width: 1200px; padding: 1rem 1.5rem; color: #222; background: #fafafa; line-height: 1.4; }
h1 { font-size: 1.5rem; margin: 0 0 .4rem; }
h2 { font-size: 1.1rem; margin: 0 0 .6rem; }
header { margin-bottom: 1.2rem; }
.sources, .note { margin: .2rem 0; color: #555; font-size: .9rem; }
nav { margin-top: .6rem; font-size: .9rem; }
nav a { color: #1f5fa8; text-decoration: none; }
section { background: white; border: 1px solid #e2e2e2; border-radius: 6px; padding: 1rem 1.2rem; margin: 0 0 1.2rem; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: .85rem; font-variant-numeric: tabular-nums; }
th, td { padding: .25rem .5rem; border-bottom: 1px solid #eee; }
td { white-space: nowrap; }
th { border-bottom: 2px solid #ccc; font-weight: 600; vertical-align: bottom; }
td.left { white-space: normal; overflow-wrap: anywhere; }
.findings ul { margin: 0; padding-left: 1.2rem; }
.findings li { margin: .2rem 0; }
.left { text-align: left; } .right { text-align: right; }
figure { margin: 0; overflow-x: auto; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { color: #555; font-size: .85rem; margin-top: .5rem; max-width: 60rem; }
code { font-size: .85em; }
`.trim();

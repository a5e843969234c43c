/**
 * report/: result JSON → plots and one self-contained HTML page.
 *
 *   inputs.ts   read eval / simulate / dense-baseline / sweep files, validated by schema.ts (zod)
 *   plots/      one pure function per plot: inputs → vega-lite spec, or null when its data is absent
 *   headline.ts the headline tables (terminal and page show the same cells)
 *   svg.ts      specs → SVG with vega-lite + vega in a worker thread (svg-worker.mjs)
 *   html.ts     tables + inline SVGs + inline CSS → one HTML file, no scripts, no network
 *   png.ts      SVG → PNG (resvg), for `--png DIR`
 *   build.ts    all of it, writing atomically
 */
export { buildReport, tableText, type ReportOptions, type ReportResult } from './build';
export { headlineTables, type TextTable } from './headline';
export { reportHtml, inlineSvg } from './html';
export { readReportInputs, type ReportInputs, type ReportInput, type SimInput, type EvalInput, type BaselineInput, type ModelInput, type Sweep } from './inputs';
export { reportPlots } from './plots';
export type { Plot } from './plot';
export { renderSvgs } from './svg';
export { svgToPng } from './png';

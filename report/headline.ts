/**
 * The headline numbers, as tables of text cells: the terminal prints them with format/table.ts and the HTML page
 * shows the very same cells. One row per run (eval, simulation or dense baseline); a second table lists sweep
 * points.
 */
import { formatCount, formatPercent } from '../format/table';
import { si } from '../format/si';
import type { BaselineInput, ModelInput, ReportInputs, ReportInput } from './inputs';
import { sweepRows } from './plots/sweep';

export interface TextTable {
  title: string;
  header: string[];
  rows: string[][];
  /** Per column: numbers read better right-aligned. */
  align: ('left' | 'right')[];
  /** A line under the table. */
  note?: string;
}

const NONE = '–';

export function headlineTables(inputs: ReportInputs): TextTable[] {
  const tables: TextTable[] = [];
  if (inputs.runs.length) tables.push(runTable(inputs.runs), settingsTable(inputs.runs));
  const points = inputs.sweeps.flatMap(sweepRows);
  if (points.length)
    tables.push({
      title: 'Sweep points',
      header: ['series', 'point', 'perplexity', 'effective MACs/token'],
      rows: points.map((p) => [p.series, p.label || NONE, p.perplexity.toFixed(2), formatCount(Math.round(p.macs))]),
      align: ['left', 'left', 'right', 'right'],
    });
  return tables;
}

function runTable(runs: ReportInput[]): TextTable {
  const counts = new Set(runs.flatMap((r) => (r.kind === 'baseline' ? (r.result.tokens !== undefined ? [r.result.tokens] : []) : [r.result.tokens])));
  return {
    title: 'Headline',
    header: ['run', 'kind', 'perplexity (tokens)', 'activity', 'effective MACs/token', 'reduction', 'energy/token', 'latency/token', 'tokens/s', 'cores', 'max/mean busy'],
    rows: runs.map((r) => (r.kind === 'baseline' ? baselineRow(r) : modelRow(r))),
    align: ['left', 'left', ...Array<'right'>(9).fill('right')],
    note: counts.size > 1 ? `Each perplexity is over its own run's tokens (in brackets, ${[...counts].sort((a, b) => a - b).map((n) => formatCount(n)).join(', ')}): compare perplexities over the same tokens only.` : undefined,
  };
}

/** How each run was made: its file and the settings its JSON records. */
function settingsTable(runs: ReportInput[]): TextTable {
  return {
    title: 'Run settings',
    header: ['run', 'file', 'model', 'tokens', 'target', 'arithmetic', 'schedule', 'decoder'],
    rows: runs.map((r) => {
      if (r.kind === 'baseline') return [r.label, r.file, r.result.model ?? NONE, r.result.tokens !== undefined ? formatCount(r.result.tokens) : NONE, r.result.baseline, 'fp32', NONE, NONE];
      const sim = r.kind === 'simulate' ? r.result : null;
      return [
        r.label, r.file, r.result.model ?? NONE, formatCount(r.result.tokens), sim?.target ?? NONE, sim?.arithmetic ?? NONE, sim?.schedule ?? NONE, sim?.decoder ?? NONE,
      ];
    }),
    align: ['left', 'left', 'left', 'right', 'left', 'left', 'left', 'left'],
  };
}

function modelRow(r: ModelInput): string[] {
  const e = r.result;
  const sim = r.kind === 'simulate' ? r.result : null;
  return [
    r.label,
    sim ? 'simulate' : 'eval',
    e.perplexity.toFixed(2) + (sim?.quantisation ? `, fp32 ${sim.quantisation.fp32_perplexity.toFixed(2)}` : '') + ` (${formatCount(e.tokens)})`,
    formatPercent(meanActivity(r)),
    formatCount(Math.round(e.macs.effective_per_token)),
    e.macs.effective_per_token > 0 ? `${(e.macs.dense_per_token / e.macs.effective_per_token).toFixed(1)}×` : NONE,
    sim ? si(sim.energy_per_token_j, 'J') : NONE,
    sim ? si(sim.latency_per_token_s, 's') : NONE,
    sim ? formatCount(Math.round(sim.throughput_tokens_per_s)) : NONE,
    sim ? formatCount(sim.per_core.length) : NONE,
    sim ? sim.imbalance.ratio.toFixed(2) : NONE,
  ];
}

/** A dense processor performs every MAC: its effective MACs are the dense ones, a reduction of 1×. */
function baselineRow(r: BaselineInput): string[] {
  const b = r.result;
  return [
    r.label,
    'dense baseline',
    b.perplexity !== undefined ? `${b.perplexity.toFixed(2)}${b.tokens !== undefined ? ` (${formatCount(b.tokens)})` : ''}` : NONE,
    NONE,
    formatCount(Math.round(b.dense_macs_per_token)),
    '1.0×',
    si(b.energy_per_token_j, 'J'),
    si(b.latency_per_token_s, 's'),
    formatCount(Math.round(b.throughput_tokens_per_s)),
    NONE,
    NONE,
  ];
}

/** The run's mean activity, or Σ events / Σ (units × tokens) when the file does not state it. */
function meanActivity(r: ModelInput): number {
  const e = r.result;
  if (e.mean_activity !== undefined) return e.mean_activity;
  const units = e.layers.reduce((a, l) => a + l.units, 0);
  return units && e.tokens ? e.layers.reduce((a, l) => a + l.events, 0) / (units * e.tokens) : 0;
}

/** Terminal summaries of evaluation results. */
import { Evaluation } from '../models/evaluate';
import { Align, formatTable } from '../format/table';
import { layerName } from '../models/params';

const RIGHT: Align[] = ['left', 'right', 'right', 'right', 'right', 'right', 'right'];

export function evaluationTable(e: Evaluation): string {
  const m = e.macs;
  return [
    `tokens ${e.tokens}   perplexity ${e.perplexity.toFixed(2)}   mean activity ${(100 * e.mean_activity).toFixed(1)}%`,
    '',
    formatTable(e.layers.map((l) => [layerName(l.layer), l.units, l.events, `${(100 * l.activity).toFixed(1)}%`]), {
      header: ['layer', 'units', 'events', 'activity'], align: RIGHT,
    }),
    '',
    formatTable(
      [
        ...m.by_projection.map((p) => [p.name, count(p.dense), count(p.effective), p.lambda_activity.toFixed(3), p.lambda_weight.toFixed(3), p.lambda_product.toFixed(4), `${p.reduction.toFixed(2)}×`]),
        ['total per token', count(m.dense_per_token), count(m.effective_per_token), m.lambda_activity.toFixed(3), m.lambda_weight.toFixed(3), m.lambda_product.toFixed(4), `${m.reduction.toFixed(2)}×`],
      ],
      { header: ['projection', 'dense MACs', 'effective', 'λ_act', 'λ_w', 'λ_a·λ_w', 'reduction'], align: RIGHT },
    ),
  ].join('\n');
}

/** One line per model: the demo's and the examples' headline numbers. */
export function comparisonTable(rows: [string, Evaluation][]): string {
  const ppl = perplexityColumn('test ppl', rows.map(([, e]) => e));
  return formatTable(
    rows.map(([name, e], i) => [
      name, ppl.cells[i], e.layers.map((l) => `${(100 * l.activity).toFixed(0)}%`).join(','),
      count(e.macs.dense_per_token), count(e.macs.effective_per_token), e.macs.lambda_product.toFixed(3), `${e.macs.reduction.toFixed(1)}×`,
    ]),
    { header: ['model', ppl.header, 'activity/layer', 'dense MACs/tok', 'effective', 'λ_a·λ_w', 'reduction'], align: RIGHT },
  );
}

/**
 * A perplexity column that says over how many tokens each value was measured: in its header when every row has
 * the same count ("perplexity (300 tokens)"), else in each cell ("172.1 (5,000)"). Perplexities over different
 * tokens are not comparable, and the demo prints ones over thousands of tokens next to ones over hundreds.
 */
export function perplexityColumn(title: string, runs: { perplexity: number; tokens: number; extra?: string }[]): { header: string; cells: string[] } {
  const counts = new Set(runs.map((r) => r.tokens));
  const same = counts.size === 1;
  return {
    header: same ? `${title} (${runs[0].tokens.toLocaleString('en-US')} tokens)` : `${title} (tokens)`,
    cells: runs.map((r) => r.perplexity.toFixed(1) + (r.extra ?? '') + (same ? '' : ` (${r.tokens.toLocaleString('en-US')})`)),
  };
}

function count(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : n.toFixed(0);
}

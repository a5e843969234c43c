/** Terminal summaries of results. */
import { Evaluation } from '../models/evaluate';

export function evaluationTable(e: Evaluation): string {
  const lines: string[] = [];
  lines.push(`tokens ${e.tokens}   perplexity ${e.perplexity.toFixed(2)}   mean activity ${(100 * e.mean_activity).toFixed(1)}%`);
  lines.push('');
  lines.push(row(['layer', 'units', 'events', 'activity']));
  for (const l of e.layers) lines.push(row([String(l.layer), String(l.units), String(l.events), `${(100 * l.activity).toFixed(1)}%`]));
  lines.push('');
  lines.push(row(['projection', 'dense MACs', 'effective', 'λ_act', 'λ_w', 'λ_a·λ_w', 'reduction']));
  const m = e.macs;
  for (const p of m.by_projection) {
    lines.push(row([p.name, fmt(p.dense), fmt(p.effective), p.lambda_activity.toFixed(3), p.lambda_weight.toFixed(3), p.lambda_product.toFixed(4), `${p.reduction.toFixed(2)}×`]));
  }
  lines.push(row(['total/token', fmt(m.dense_per_token), fmt(m.effective_per_token), m.lambda_activity.toFixed(3), m.lambda_weight.toFixed(3), m.lambda_product.toFixed(4), `${m.reduction.toFixed(2)}×`]));
  return lines.join('\n');
}

function fmt(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : n.toFixed(0);
}

function row(cells: string[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(18) : c.padStart(12))).join(' ');
}

/**
 * MAC reduction per layer and projection (the paper's metric): λ_activity (fraction of a projection's inputs
 * that are non-zero), λ_weight (fraction of its weights that are non-zero), their product (what independent
 * activity and weights would give) and the measured effective/dense MACs, with the whole model as "total".
 * One panel per model: the evaluations when there are any (a simulation of the same model repeats them over
 * fewer tokens), else the simulations, those of one model (on several targets) sharing a panel.
 */
import type { ModelInput } from '../inputs';
import type { Plot } from '../plot';
import type { Macs } from '../schema';
import { CONFIG, WIDTH } from '../theme';

const MEASURES = ['λ_activity', 'λ_weight', 'λ_activity·λ_weight', 'measured effective/dense'] as const;

export function macPlot(runs: ModelInput[]): Plot | null {
  const groups = new Map<string, { labels: string[]; macs: Macs }>();
  for (const r of runs) {
    const key = r.kind === 'simulate' && r.result.model ? r.result.model : JSON.stringify(r.result.macs);
    const g = groups.get(key);
    if (g) g.labels.push(r.label);
    else groups.set(key, { labels: [r.label], macs: r.result.macs });
  }
  const rows = [...groups.values()].flatMap(({ labels, macs }) => {
    const panel = labels.join(', ');
    const entries = [...macs.by_projection, { name: 'total', dense: macs.dense_per_token, effective: macs.effective_per_token, lambda_activity: macs.lambda_activity, lambda_weight: macs.lambda_weight, lambda_product: macs.lambda_product }];
    return entries.flatMap((p) => {
      const values: [string, number | undefined][] = [
        [MEASURES[0], p.lambda_activity], [MEASURES[1], p.lambda_weight], [MEASURES[2], p.lambda_product],
        [MEASURES[3], p.dense > 0 ? p.effective / p.dense : undefined],
      ];
      return values.filter(([, v]) => v !== undefined).map(([measure, v]) => ({ panel, projection: p.name, measure, fraction: v as number }));
    });
  });
  if (!rows.length) return null;
  const projections = [...new Set(rows.map((r) => r.projection))];
  const panels = [...new Set(rows.map((r) => r.panel))];
  return {
    id: 'macs',
    title: 'MAC reduction per layer',
    caption:
      'Per projection (layerN.input, layerN.recurrent, decoder) and for the whole model: the fraction of dense MACs left by activity sparsity (λ_activity), ' +
      'by weight sparsity (λ_weight), by both if they were independent (product), and as measured (effective/dense). Lower is better; the reduction is its inverse.',
    spec: {
      config: CONFIG,
      data: { values: rows },
      width: Math.min(WIDTH * 1.6, Math.max(240, projections.length * 96)),
      height: panels.length > 1 ? 160 : 200,
      mark: { type: 'bar' },
      encoding: {
        x: { field: 'projection', type: 'nominal', sort: projections, title: null, axis: { labelAngle: -30 } },
        xOffset: { field: 'measure', type: 'nominal', sort: [...MEASURES] },
        y: { field: 'fraction', type: 'quantitative', title: 'fraction of dense MACs', scale: { domain: [0, 1] } },
        color: { field: 'measure', type: 'nominal', sort: [...MEASURES], title: null, legend: { orient: 'bottom', direction: 'horizontal' } },
        ...(panels.length > 1 ? { row: { field: 'panel', type: 'nominal', sort: panels, title: null, header: { labelAngle: 0, labelOrient: 'top', labelAnchor: 'start', labelFontWeight: 'bold' } } } : {}),
      },
    },
  };
}

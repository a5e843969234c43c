/** Per-layer activity (events / (units × tokens)) of every run, eval and simulation alike, side by side. */
import type { ModelInput } from '../inputs';
import type { Plot } from '../plot';
import { layerLabel } from '../schema';
import { CONFIG, WIDTH } from '../theme';
import { overTokens } from '../findings';

export function activityPlot(runs: ModelInput[]): Plot | null {
  const label = (r: ModelInput) => `${r.label} (${overTokens(r.result.tokens)})`;
  const rows = runs.flatMap((r) => r.result.layers.map((l) => ({ run: label(r), layer: layerLabel(l), activity: l.activity })));
  if (!rows.length) return null;
  const layers = [...new Set(rows.map((r) => r.layer))];
  return {
    id: 'activity',
    title: 'Activity per layer',
    caption: 'Fraction of a layer’s units that emit an event per token (events / (units × tokens)); the lower, the fewer synaptic operations the next projections do.',
    spec: {
      config: CONFIG,
      data: { values: rows },
      width: Math.min(WIDTH * 1.6, Math.max(200, layers.length * (runs.length * 20 + 30))),
      height: 240,
      mark: { type: 'bar' },
      encoding: {
        x: { field: 'layer', type: 'nominal', sort: layers, title: null, axis: { labelAngle: 0 } },
        xOffset: { field: 'run', type: 'nominal', sort: runs.map(label) },
        y: { field: 'activity', type: 'quantitative', title: 'activity', axis: { format: '.0%' } },
        color: { field: 'run', type: 'nominal', sort: runs.map(label), title: 'run', legend: { orient: 'bottom', direction: 'vertical' } },
      },
    },
  };
}

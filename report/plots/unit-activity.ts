/**
 * Where a layer's activity comes from: per layer, a histogram of its units' own activity (a unit's events over
 * the tokens), one row of panels per run. A spike at 0 is units that never fire; a long tail is a few units that
 * fire on most tokens and carry most of the layer's events (and of the next projection's work).
 */
import type { ModelInput } from '../inputs';
import type { Plot } from '../plot';
import { layerLabel } from '../schema';
import { CONFIG } from '../theme';
import { overTokens } from '../findings';

export function unitActivityPlot(runs: ModelInput[]): Plot | null {
  const rows = runs.flatMap((r) =>
    r.result.layers.flatMap((l) =>
      (l.unit_events ?? []).map((events) => ({ run: `${r.label} (${overTokens(r.result.tokens)})`, layer: layerLabel(l), activity: events / Math.max(1, r.result.tokens) })),
    ),
  );
  if (!rows.length) return null;
  const layers = [...new Set(rows.map((r) => r.layer))];
  return {
    id: 'unit-activity',
    title: 'Activity of each unit, per layer',
    caption:
      'How many units (y) fire on what fraction of tokens (x), per layer and run: a unit’s events over the tokens. The layer’s mean activity is the ' +
      'mean of its histogram; a spike at 0 is silent units, a tail to the right a few busy units that carry much of the layer’s events.',
    spec: {
      config: { ...CONFIG, header: { labelFontSize: 12, labelAngle: 0, labelAlign: 'left', labelAnchor: 'start', labelLimit: 600 } },
      data: { values: rows },
      facet: {
        column: { field: 'layer', type: 'nominal', sort: layers, title: null },
        row: { field: 'run', type: 'nominal', sort: [...new Set(rows.map((r) => r.run))], title: null, header: { labelOrient: 'top' } },
      },
      resolve: { scale: { y: 'independent' } },
      spec: {
        width: Math.max(160, Math.floor(760 / layers.length)),
        height: 120,
        mark: { type: 'bar', color: '#4e79a7' },
        encoding: {
          x: { field: 'activity', type: 'quantitative', bin: { maxbins: 40, extent: [0, 1] }, title: 'fraction of tokens the unit fires on', axis: { format: '.0%' } },
          y: { aggregate: 'count', type: 'quantitative', title: 'units' },
        },
      },
    },
  };
}

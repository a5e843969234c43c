/**
 * A spike raster of the first tokens: for each layer and run, a dot for every unit (y) that fired at a token (x).
 * Rows of dots are units that fire token after token; columns are tokens that wake a whole layer.
 */
import type { ModelInput } from '../inputs';
import type { Plot } from '../plot';
import { layerLabel } from '../schema';
import { CONFIG } from '../theme';

export function rasterPlot(runs: ModelInput[]): Plot | null {
  const panels: string[] = [];
  const rows = runs.flatMap((r) =>
    r.result.layers.flatMap((l) => {
      if (!l.raster?.length) return [];
      const panel = `${r.label} · ${layerLabel(l)} (${l.units} units)`;
      panels.push(panel);
      return l.raster.flatMap((units, token) => units.map((unit) => ({ panel, token, unit })));
    }),
  );
  if (!panels.length) return null;
  const tokens = Math.max(...runs.flatMap((r) => r.result.layers.map((l) => l.raster?.length ?? 0)));
  return {
    id: 'raster',
    title: `Events of the first ${tokens} tokens`,
    caption: 'Each dot is a unit (y, by index) that emitted an event at a token (x), per layer and run: which units carry the activity, and when.',
    spec: {
      config: { ...CONFIG, header: { labelFontSize: 12, labelAngle: 0, labelAlign: 'left', labelAnchor: 'start', labelOrient: 'top', labelLimit: 600 } },
      data: { values: rows },
      facet: { row: { field: 'panel', type: 'nominal', sort: panels, title: null } },
      resolve: { scale: { y: 'independent' } },
      spec: {
        width: 760,
        height: 150,
        mark: { type: 'square', size: 6, opacity: 0.8, color: '#222222' },
        encoding: {
          x: { field: 'token', type: 'quantitative', scale: { domain: [-0.5, tokens - 0.5], nice: false }, title: 'token', axis: { tickMinStep: 1, format: 'd' } },
          y: { field: 'unit', type: 'quantitative', title: 'unit', scale: { nice: false, zero: true } },
        },
      },
    },
  };
}

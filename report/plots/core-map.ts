/**
 * Busy time per core per token, of every simulated run in one figure on one colour scale, the cores grouped by
 * the layer (population) they hold: one row of panels per run and layer, the layer's cores in order of core id,
 * wrapped at COLUMNS cells, each labelled with its core id. Per token (a core's busy time over the run divided by
 * the tokens), as everything else in the report; a shared scale, so a hot core stands out across targets; cells
 * of a fixed size, so a map of hundreds of cores stays as legible as one of six (it grows downwards).
 */
import type { SimInput } from '../inputs';
import type { Plot } from '../plot';
import { CONFIG } from '../theme';
import { siScale } from '../../format/si';

/** Cells per row: 40 × 18 px stays inside a 1280 px page with the row headers. */
export const COLUMNS = 40;
const CELL = 18;

export interface CoreCell {
  panel: string;
  core: number;
  column: number;
  row: number;
  /** Busy time per token, in the plot's unit. */
  busy: number;
}

export function coreCells(sims: SimInput[]): { cells: CoreCell[]; panels: string[]; unit: string } {
  const perToken = sims.flatMap((s) => s.result.per_core.map((c) => c.busy_s / Math.max(1, s.result.tokens)));
  const scale = siScale(perToken, 's');
  const cells: CoreCell[] = [];
  const panels: string[] = [];
  for (const s of sims) {
    const layers = new Map<string, typeof s.result.per_core>();
    for (const c of [...s.result.per_core].sort((a, b) => a.core - b.core)) {
      const layer = c.population ?? 'cores';
      layers.set(layer, [...(layers.get(layer) ?? []), c]);
    }
    for (const [layer, cores] of layers) {
      const panel = `${s.label} · ${layer} (${cores.length} core${cores.length > 1 ? 's' : ''})`;
      panels.push(panel);
      cores.forEach((c, k) =>
        cells.push({ panel, core: c.core, column: k % COLUMNS, row: Math.floor(k / COLUMNS), busy: (c.busy_s / Math.max(1, s.result.tokens)) * scale.factor }),
      );
    }
  }
  return { cells, panels, unit: scale.unit };
}

export function coreMapPlot(sims: SimInput[]): Plot | null {
  if (!sims.some((s) => s.result.per_core.length)) return null;
  const { cells, panels, unit } = coreCells(sims);
  const max = Math.max(...cells.map((c) => c.busy));
  // One colour scale for every panel: the same explicit domain, shared by the concatenation.
  const color = { field: 'busy', type: 'quantitative', title: `busy per token (${unit})`, scale: { scheme: 'orangered', domain: [0, max > 0 ? max : 1] } } as const;
  const panel = (name: string) => {
    const mine = cells.filter((c) => c.panel === name);
    const columns = Math.max(...mine.map((c) => c.column)) + 1, rows = Math.max(...mine.map((c) => c.row)) + 1;
    const x = { field: 'column', type: 'ordinal', axis: null, scale: { domain: Array.from({ length: columns }, (_, i) => i) } } as const;
    const y = { field: 'row', type: 'ordinal', axis: null, scale: { domain: Array.from({ length: rows }, (_, i) => i) } } as const;
    return {
      title: { text: name, anchor: 'start' as const, fontSize: 12, fontWeight: 'normal' as const },
      width: columns * CELL,
      height: rows * CELL,
      data: { values: mine },
      layer: [
        { mark: { type: 'rect' as const, stroke: 'white', strokeWidth: 1 }, encoding: { x, y, color } },
        {
          mark: { type: 'text' as const, fontSize: 7 },
          encoding: { x, y, text: { field: 'core', type: 'quantitative' as const }, color: { condition: { test: `datum.busy > ${0.6 * max}`, value: 'white' }, value: '#222222' } },
        },
      ],
    };
  };
  return {
    id: 'cores',
    title: 'Busy time per core per token, by layer',
    caption:
      `Each cell is a core, labelled with its id, in rows of up to ${COLUMNS}, grouped by the layer it holds; colour: the core’s busy time per token ` +
      `(synaptic operations, neuron updates and sends), on one scale for every run. Uneven colours within a layer are imbalance the partition ` +
      `left; a layer whose cores are all darker fires more or has more synapses per event. Mesh positions are in the JSON’s per_core.`,
    spec: {
      config: { ...CONFIG, legend: { ...CONFIG.legend, titleLimit: 300 } },
      vconcat: panels.map(panel),
      resolve: { scale: { color: 'shared' }, legend: { color: 'shared' } },
    },
  };
}

/**
 * Busy time per core, laid out on each chip's mesh. per_core gives a core's chip and its router's (x, y) on
 * that chip; the cores that share a router (a Loihi tile, a SpiNNaker2 quad-PE) are drawn as sub-cells of its
 * square (outlined) in order of core id. Routers in the used area that hold no used core are drawn empty, in grey.
 */
import type { SimInput } from '../inputs';
import type { Plot } from '../plot';
import type { CoreResult } from '../schema';
import { CONFIG } from '../theme';
import { siScale } from '../../format/si';

interface Cell {
  kind: 'core' | 'router' | 'frame';
  chip: string;
  x0: number; x1: number; y0: number; y1: number;
  busy?: number;
  core?: number;
  population?: string;
}

export function coreMapPlot(sim: SimInput, index: number): Plot | null {
  const cores = sim.result.per_core;
  if (!cores.length) return null;
  const { cells, side, width, height, chips } = layout(cores);
  const scale = siScale(cores.map((c) => c.busy_s), 's');
  for (const c of cells) if (c.busy !== undefined) c.busy *= scale.factor;
  const px = Math.max(8, Math.min(44, Math.floor(440 / Math.max(width, height) / side)));
  const labels = cores.length <= 96 && px >= 16;
  const axis = (n: number, title: string) => ({
    title, grid: false, domain: false, ticks: false,
    values: Array.from({ length: n }, (_, i) => (i + 0.5) * side), labelExpr: `floor(datum.value / ${side})`,
  });
  const core = { field: 'kind', equal: 'core' } as const;
  const xScale = { domain: [0, width * side], nice: false, zero: true };
  const yScale = { domain: [0, height * side], nice: false, reverse: true };
  const rect = {
    x: { field: 'x0', type: 'quantitative', scale: xScale, axis: axis(width, 'mesh x') },
    x2: { field: 'x1' },
    y: { field: 'y0', type: 'quantitative', scale: yScale, axis: axis(height, 'mesh y') },
    y2: { field: 'y1' },
  } as const;
  return {
    id: `cores-${index + 1}`,
    title: `Busy time per core: ${sim.label}`,
    caption:
      `Busy time of each core over the whole run (${sim.result.tokens} tokens; ${cores.length} cores on ${chips} chip${chips > 1 ? 's' : ''}), ` +
      `on its chip’s mesh: mesh x to the right, mesh y down${side > 1 ? `; each router’s square holds its cores (up to ${side * side}, in order of core id)` : ''}` +
      `. Max/mean busy ${sim.result.imbalance.ratio.toFixed(2)}. Grey: routers with no core in use.`,
    spec: {
      config: CONFIG,
      data: { values: cells },
      facet: { field: 'chip', type: 'nominal', title: null, sort: [...new Set(cells.map((c) => c.chip))] },
      columns: Math.min(chips, 3),
      spec: {
        width: width * side * px,
        height: height * side * px,
        layer: [
          { transform: [{ filter: { field: 'kind', equal: 'router' } }], mark: { type: 'rect', fill: '#eeeeee', stroke: 'white', strokeWidth: 1 }, encoding: rect },
          {
            transform: [{ filter: core }],
            mark: { type: 'rect', stroke: 'white', strokeWidth: 1 },
            encoding: {
              ...rect,
              color: { field: 'busy', type: 'quantitative', title: `busy (${scale.unit})`, scale: { scheme: 'orangered', zero: true } },
            },
          },
          ...(side > 1
            ? [{ transform: [{ filter: { field: 'kind', equal: 'frame' } }], mark: { type: 'rect' as const, fill: null, stroke: '#444444', strokeWidth: 1.5 }, encoding: rect }]
            : []),
          ...(labels
            ? [{
                transform: [{ filter: core }, { calculate: `(datum.x0 + datum.x1) / 2`, as: 'cx' }, { calculate: `(datum.y0 + datum.y1) / 2`, as: 'cy' }],
                mark: { type: 'text' as const, fontSize: Math.min(11, px / 2.2), color: '#222222' },
                encoding: {
                  x: { field: 'cx', type: 'quantitative' as const, scale: xScale, axis: null },
                  y: { field: 'cy', type: 'quantitative' as const, scale: yScale, axis: null },
                  text: { field: 'core', type: 'quantitative' as const },
                },
              }]
            : []),
        ],
      },
    },
  };
}

/** Cells in plot units: a router is side × side units, its k-th core the k-th unit square, row by row. */
export function layout(cores: CoreResult[]): { cells: Cell[]; side: number; width: number; height: number; chips: number } {
  const byRouter = new Map<string, CoreResult[]>();
  for (const c of [...cores].sort((a, b) => a.core - b.core)) {
    const key = `${c.chip}:${c.x}:${c.y}`;
    byRouter.set(key, [...(byRouter.get(key) ?? []), c]);
  }
  const side = Math.ceil(Math.sqrt(Math.max(...[...byRouter.values()].map((l) => l.length))));
  const width = Math.max(...cores.map((c) => c.x)) + 1;
  const height = Math.max(...cores.map((c) => c.y)) + 1;
  const chipIds = [...new Set(cores.map((c) => c.chip))].sort((a, b) => a - b);
  const cells: Cell[] = [];
  for (const chip of chipIds)
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const here = byRouter.get(`${chip}:${x}:${y}`) ?? [];
        const name = `chip ${chip}`;
        const square = { chip: name, x0: x * side, x1: (x + 1) * side, y0: y * side, y1: (y + 1) * side };
        cells.push({ kind: 'frame', ...square });
        if (!here.length) cells.push({ kind: 'router', ...square });
        here.forEach((c, k) => {
          const x0 = x * side + (k % side), y0 = y * side + Math.floor(k / side);
          cells.push({ kind: 'core', chip: name, x0, x1: x0 + 1, y0, y1: y0 + 1, busy: c.busy_s, core: c.core, population: c.population });
        });
      }
  return { cells, side, width, height, chips: chipIds.length };
}

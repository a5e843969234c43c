/**
 * Energy per token of every simulated run and dense baseline, in two panels that share the rows: the totals on
 * a log axis (a 2.5 mJ GPU and a 20 µJ chip side by side, each readable), and each run's own breakdown as shares
 * of its total (synaptic, neuron, network, sync, static, host for a chip; compute, memory, static for a dense
 * baseline), so a chip's breakdown is as visible as the GPU's.
 */
import type { BaselineInput, SimInput } from '../inputs';
import type { Plot } from '../plot';
import { BASELINE_PARTS, ENERGY_PARTS } from '../schema';
import { CONFIG, ENERGY_COLORS } from '../theme';
import { si } from '../../format/si';

/** Every component once, the simulator's first, in stacking order. */
const COMPONENTS = [...new Set([...ENERGY_PARTS, ...BASELINE_PARTS])];

export function energyPlot(sims: SimInput[], baselines: BaselineInput[] = []): Plot | null {
  const runs = [...sims, ...baselines];
  if (!runs.length) return null;
  const parts = runs.flatMap((s) =>
    Object.entries(s.result.breakdown)
      .filter(([, joules]) => joules > 0)
      .map(([component, joules]) => ({
        run: s.label, component, order: COMPONENTS.indexOf(component as (typeof COMPONENTS)[number]),
        share: joules / s.result.energy_per_token_j, text: `${component} ${si(joules, 'J')}`,
      })),
  );
  const totals = runs.map((s) => ({ run: s.label, joules: s.result.energy_per_token_j, text: si(s.result.energy_per_token_j, 'J') }));
  const used = COMPONENTS.filter((c) => parts.some((p) => p.component === c));
  const y = { field: 'run', type: 'nominal', sort: runs.map((s) => s.label), title: null } as const;
  const positive = totals.map((t) => t.joules).filter((j) => j > 0);
  const lo = Math.min(...positive), hi = Math.max(...positive);
  // Whole decades around the data, so the log axis reads in powers of ten.
  const from = Math.floor(Math.log10(lo) - 0.3), to = Math.ceil(Math.log10(hi) + 0.3);
  const domain = [10 ** from, 10 ** to];
  const decades = Array.from({ length: to - from + 1 }, (_, i) => 10 ** (from + i));
  return {
    id: 'energy',
    title: 'Energy per token',
    caption:
      'Left: energy per predicted token on a log axis (each bar labelled). Right: where each run’s energy goes, as shares of its own total: ' +
      'synaptic operations, neuron updates, network (spikes out, hops, chip links), synchronisation, static power over the run and the host (I/O, and a host-side decoder) for a chip' +
      (baselines.length ? '; arithmetic, weight traffic and static power for a dense baseline (the analytic cost of the model run densely at batch 1).' : '.'),
    spec: {
      config: CONFIG,
      hconcat: [
        {
          width: 300,
          height: { step: 30 },
          data: { values: totals },
          encoding: { y },
          layer: [
            {
              mark: { type: 'bar', color: '#4e79a7' },
              encoding: {
                // A bar on a log axis needs a base: the axis' left end.
                x: {
                  field: 'joules', type: 'quantitative', scale: { type: 'log', domain, nice: false }, title: 'energy per token (log scale)',
                  axis: { values: decades, labelExpr: "format(datum.value, '~s') + 'J'", grid: true },
                },
                x2: { datum: domain[0] },
              },
            },
            {
              mark: { type: 'text', align: 'left', dx: 4, fontSize: 11 },
              encoding: { x: { field: 'joules', type: 'quantitative' }, text: { field: 'text', type: 'nominal' } },
            },
          ],
        },
        {
          width: 420,
          height: { step: 30 },
          data: { values: parts },
          mark: { type: 'bar' },
          encoding: {
            y: { ...y, axis: null },
            x: { field: 'share', type: 'quantitative', stack: 'normalize', title: 'share of the run’s energy per token', axis: { format: '.0%' } },
            color: {
              field: 'component', type: 'nominal', title: null,
              scale: { domain: used, range: used.map((p) => ENERGY_COLORS[p]) },
              legend: { orient: 'bottom', direction: 'horizontal', columns: 5 },
            },
            order: { field: 'order', type: 'quantitative' },
          },
        },
      ],
    },
  };
}

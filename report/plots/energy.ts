/**
 * Energy per token per simulated run, stacked by component (synaptic, neuron, network, sync, static, host), and
 * per dense baseline next to them, stacked by its own components (compute, memory, static).
 */
import type { BaselineInput, SimInput } from '../inputs';
import type { Plot } from '../plot';
import { BASELINE_PARTS, ENERGY_PARTS } from '../schema';
import { CONFIG, ENERGY_COLORS, WIDTH } from '../theme';
import { si, siScale } from '../../format/si';

/** Every component once, the simulator's first, in stacking order. */
const COMPONENTS = [...new Set([...ENERGY_PARTS, ...BASELINE_PARTS])];

export function energyPlot(sims: SimInput[], baselines: BaselineInput[] = []): Plot | null {
  const runs = [...sims, ...baselines];
  if (!runs.length) return null;
  const scale = siScale(runs.map((s) => s.result.energy_per_token_j), 'J');
  const parts = runs.flatMap((s) =>
    Object.entries(s.result.breakdown).map(([component, joules]) => ({
      run: s.label, component, order: COMPONENTS.indexOf(component as (typeof COMPONENTS)[number]), energy: joules * scale.factor,
    })),
  );
  // Each total in its own prefix: baselines can be orders of magnitude above the chips, whose bars then vanish.
  const totals = runs.map((s) => ({ run: s.label, energy: s.result.energy_per_token_j * scale.factor, text: si(s.result.energy_per_token_j, 'J') }));
  const used = COMPONENTS.filter((c) => parts.some((p) => p.component === c));
  const y = { field: 'run', type: 'nominal', sort: runs.map((s) => s.label), title: null } as const;
  return {
    id: 'energy',
    title: 'Energy per token',
    caption:
      'Simulated energy per predicted token on each target, split into synaptic operations, neuron updates, network (spikes out, hops, chip links), synchronisation, static power over the run, and host I/O.' +
      (baselines.length ? ' Dense baselines: the analytic cost of running the model densely at batch 1 on a conventional processor (arithmetic, weight traffic, static power).' : ''),
    spec: {
      config: CONFIG,
      width: WIDTH,
      height: { step: 32 },
      layer: [
        {
          data: { values: parts },
          mark: { type: 'bar' },
          encoding: {
            y,
            x: { field: 'energy', type: 'quantitative', stack: 'zero', title: `energy per token (${scale.unit})` },
            color: {
              field: 'component', type: 'nominal', title: 'component',
              scale: { domain: used, range: used.map((p) => ENERGY_COLORS[p]) },
              legend: { orient: 'bottom', direction: 'horizontal' },
            },
            order: { field: 'order', type: 'quantitative' },
          },
        },
        {
          data: { values: totals },
          mark: { type: 'text', align: 'left', dx: 4, fontSize: 11 },
          encoding: { y, x: { field: 'energy', type: 'quantitative' }, text: { field: 'text', type: 'nominal' } },
        },
      ],
    },
  };
}

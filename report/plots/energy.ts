/** Energy per token per simulated run, stacked by component (synaptic, neuron, network, sync, static, host). */
import type { SimRun } from '../inputs';
import type { Plot } from '../plot';
import { ENERGY_PARTS } from '../schema';
import { CONFIG, ENERGY_COLORS, WIDTH } from '../theme';
import { siScale } from '../units';

export function energyPlot(sims: SimRun[]): Plot | null {
  if (!sims.length) return null;
  const scale = siScale(sims.map((s) => s.result.energy_per_token_j), 'J');
  const parts = sims.flatMap((s) =>
    ENERGY_PARTS.map((part, order) => ({ run: s.label, component: part, order, energy: s.result.breakdown[part] * scale.factor })),
  );
  const totals = sims.map((s) => ({ run: s.label, energy: s.result.energy_per_token_j * scale.factor, text: `${(s.result.energy_per_token_j * scale.factor).toPrecision(3)} ${scale.unit}` }));
  const y = { field: 'run', type: 'nominal', sort: sims.map((s) => s.label), title: null } as const;
  return {
    id: 'energy',
    title: 'Energy per token',
    caption: 'Simulated energy per predicted token on each target, split into synaptic operations, neuron updates, network (spikes out, hops, chip links), synchronisation, static power over the run, and host I/O.',
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
              scale: { domain: [...ENERGY_PARTS], range: ENERGY_PARTS.map((p) => ENERGY_COLORS[p]) },
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

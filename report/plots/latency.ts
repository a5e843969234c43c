/**
 * Latency per token next to the times it is made of, per simulated run. The simulator reports no additive
 * split of a token's latency, so the bars are measures side by side, not a stack: mean and worst latency, the
 * busiest and the mean core's busy time per token (compute on the critical core bounds latency from below in
 * a sequential schedule), and the time packets waited for busy links per token. Dense baselines show their
 * (analytic) latency per token below the simulations.
 */
import type { BaselineInput, SimInput } from '../inputs';
import type { Plot } from '../plot';
import type { SimResult } from '../schema';
import { CONFIG, WIDTH } from '../theme';
import { siScale } from '../../format/si';

const MEASURES: [string, (r: SimResult) => number | undefined][] = [
  ['latency per token (mean)', (r) => r.latency_per_token_s],
  ['latency per token (max)', (r) => r.latency_max_s],
  ['busiest core: busy per token', (r) => r.imbalance.max_busy_s / Math.max(1, r.tokens)],
  ['mean core: busy per token', (r) => r.imbalance.mean_busy_s / Math.max(1, r.tokens)],
  ['link contention per token', (r) => r.contention_per_token_s],
];

export function latencyPlot(sims: SimInput[], baselines: BaselineInput[] = []): Plot | null {
  if (!sims.length && !baselines.length) return null;
  const raw = [
    ...sims.flatMap((s) =>
      MEASURES.flatMap(([measure, get]) => {
        const v = get(s.result);
        return v === undefined ? [] : [{ run: s.label, measure, seconds: v }];
      }),
    ),
    ...baselines.map((b) => ({ run: b.label, measure: MEASURES[0][0], seconds: b.result.latency_per_token_s })),
  ];
  const scale = siScale(raw.map((r) => r.seconds), 's');
  const rows = raw.map((r) => ({ ...r, time: r.seconds * scale.factor, text: String(Number((r.seconds * scale.factor).toPrecision(3))) }));
  const measures = MEASURES.map(([m]) => m).filter((m) => rows.some((r) => r.measure === m));
  const y = { field: 'run', type: 'nominal', sort: [...sims, ...baselines].map((s) => s.label), title: null } as const;
  const yOffset = { field: 'measure', type: 'nominal', sort: measures } as const;
  return {
    id: 'latency',
    title: 'Latency per token',
    caption:
      'Token in → next-token distribution out, and what bounds it: the busiest core’s and the mean core’s busy time per token, and the time packets waited for busy links. ' +
      'These are measures side by side, not parts of a sum (the simulator does not split a token’s latency).' +
      (baselines.length ? ' Dense baselines: the analytic latency of one token at batch 1.' : ''),
    spec: {
      config: CONFIG,
      width: WIDTH,
      height: { step: 12 },
      data: { values: rows },
      encoding: { y, yOffset },
      layer: [
        {
          mark: { type: 'bar' },
          encoding: {
            x: { field: 'time', type: 'quantitative', title: `time (${scale.unit})` },
            color: { field: 'measure', type: 'nominal', sort: measures, title: null, legend: { orient: 'bottom', direction: 'vertical' } },
          },
        },
        {
          mark: { type: 'text', align: 'left', dx: 3, fontSize: 9 },
          encoding: { x: { field: 'time', type: 'quantitative' }, text: { field: 'text', type: 'nominal' } },
        },
      ],
    },
  };
}

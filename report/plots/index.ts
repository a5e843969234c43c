/**
 * The plots of a report, in the order the page shows them. Each is drawn only when its data is present: an
 * eval result alone gives activity and MAC reduction; simulations add energy, latency and one core map each;
 * dense baselines join the energy and latency plots; sweeps add perplexity against effective MACs.
 */
import type { BaselineInput, ModelInput, ReportInputs, SimInput } from '../inputs';
import type { Plot } from '../plot';
import { activityPlot } from './activity';
import { coreMapPlot } from './core-map';
import { energyPlot } from './energy';
import { latencyPlot } from './latency';
import { macPlot } from './macs';
import { sweepPlot } from './sweep';

export function reportPlots(inputs: ReportInputs): Plot[] {
  const sims = inputs.runs.filter((r): r is SimInput => r.kind === 'simulate');
  const baselines = inputs.runs.filter((r): r is BaselineInput => r.kind === 'baseline');
  const models = inputs.runs.filter((r): r is ModelInput => r.kind !== 'baseline');
  return [
    energyPlot(sims, baselines),
    latencyPlot(sims, baselines),
    ...sims.map((s, i) => coreMapPlot(s, i)),
    activityPlot(models),
    macPlot(models),
    sweepPlot(inputs.sweeps),
  ].filter((p): p is Plot => p !== null);
}

/**
 * The plots of a report, in the order the page shows them. Each is drawn only when its data is present: an
 * eval result alone gives activity per layer and per unit, a raster and MAC reduction; simulations add energy,
 * latency and the core map (every simulation on one scale); dense baselines join the energy and latency plots;
 * sweeps add perplexity against effective MACs.
 */
import type { BaselineInput, ModelInput, ReportInputs, SimInput } from '../inputs';
import type { Plot } from '../plot';
import { activityPlot } from './activity';
import { coreMapPlot } from './core-map';
import { energyPlot } from './energy';
import { latencyPlot } from './latency';
import { macPlot } from './macs';
import { rasterPlot } from './raster';
import { unitActivityPlot } from './unit-activity';
import { sweepPlot } from './sweep';

export function reportPlots(inputs: ReportInputs): Plot[] {
  const sims = inputs.runs.filter((r): r is SimInput => r.kind === 'simulate');
  const baselines = inputs.runs.filter((r): r is BaselineInput => r.kind === 'baseline');
  const models = modelRuns(inputs);
  return [
    energyPlot(sims, baselines),
    latencyPlot(sims, baselines),
    coreMapPlot(sims),
    activityPlot(models),
    unitActivityPlot(models),
    rasterPlot(models),
    macPlot(models),
    sweepPlot(inputs.sweeps),
  ].filter((p): p is Plot => p !== null);
}

/**
 * The runs whose model plots (activity, MACs) the page shows: the evaluations when there are any, else the
 * simulations. A simulation of an evaluated model repeats its panels over fewer tokens (the demo's 300 against 5,000).
 */
export function modelRuns(inputs: ReportInputs): ModelInput[] {
  const evals = inputs.runs.filter((r): r is ModelInput => r.kind === 'eval');
  return evals.length ? evals : inputs.runs.filter((r): r is SimInput => r.kind === 'simulate');
}

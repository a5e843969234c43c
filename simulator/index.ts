/**
 * The simulator: a compiled map (*.nmap) runs a token stream on its target, computing the model for real,
 * and reports MACs, traffic, energy and latency per token, layer and core.
 *
 *   const run = runModel(loadNmap('m.nmap'), ids, { schedule: 'pipelined' });   // from-nmap → schedule → engine
 *   const report = simulationReport(nmap, run, 'm.nmap');                        // OUT.json; simulationText(report)
 *   denseBaseline(config, loadBaseline('dense-gpu'))                             // the conventional comparison
 *
 * engine.ts is the discrete-event step (pure: state and events in, state and records out); state.ts and
 * deliveries.ts prepare everything it reads from a map; activity.ts is what the neurons do (scripted,
 * random, or model-activity.ts for real); timestep.ts how a step ends on the target; trace.ts the timeline.
 */
export { runModel, type ModelRun, type ModelRunOptions } from './run-model';
export { simulationReport, type SimReport, type CoreReport } from './report';
export { simulationText } from './report-text';
export { denseBaseline, denseMacsPerToken, type BaselineReport } from './baseline';
export { SCHEDULES, scheduled, type Schedule } from './schedule';
export { simMapFromNmap, type HostModel, type NmapBody } from './from-nmap';
export { ChromeTrace, type Tracer } from './trace';
export { simulate, continueRun, type SimRun, type StepRecord } from './run';
export { MapBuilder } from './build';
export { scripted, randomActivity, type Activity, type FireBuffer } from './activity';
export type { SimMap, SimCore, SimPopulation, SimRoutes } from './map';

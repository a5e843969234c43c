/**
 * Compile a model for a target, then run a token stream through the compiled map: the demo's (and a sweep's)
 * path from *.egru to a simulation report, with the map and the trace written next to it.
 */
import path from 'path';
import { compile, nmapFromRecord, saveNmap, summarize } from '../compiler';
import { writeFileAtomic } from '../models/atomic';
import { readContainer } from '../models/container';
import { LanguageModel } from '../models/model';
import { BaselineReport, denseBaseline } from '../simulator/baseline';
import { SimReport, simulationReport } from '../simulator/report';
import { HOST_PROCESSOR, runModel } from '../simulator/run-model';
import { ChromeTrace } from '../simulator/trace';
import { listBaselines, loadBaseline } from '../targets/baseline-schema';
import { egruObstacle } from '../targets/derive';
import { loadTarget } from '../targets/load';
import { Progress } from '../format/progress';
import { quantisationCost } from './quantisation';

export interface ChipRun {
  target: string;
  map: string;
  trace: string;
  cores: number;
  report: SimReport;
}

/**
 * Compiles `model` for `targetName` (its default arithmetic) and simulates `tokens` ids on the map. `binaryEncoding`
 * 'auto' sends graded events as bit-plane spikes exactly where the target carries binary spikes only (Loihi) and
 * describes such an encoding.
 */
export function compileAndSimulate(model: LanguageModel, modelName: string, targetName: string, tokens: Int32Array, maxTokens: number, outDir: string, seed: number,
  decoder: 'chip' | 'host' = 'chip', binaryEncoding: boolean | 'auto' = false): ChipRun {
  const target = loadTarget(targetName);
  const bitPlanes = binaryEncoding === 'auto' ? egruObstacle(target) !== null && target.neuron.binary_encoding !== undefined : binaryEncoding;
  const ir = compile(model, target, { seed, modelName, decoder, binaryEncoding: bitPlanes });
  const summary = summarize(ir);
  const mapFile = path.join(outDir, `${targetName}.nmap`);
  saveNmap(mapFile, ir, summary);
  const nmap = nmapFromRecord(readContainer(mapFile), mapFile);
  const progress = new Progress(`simulate ${targetName}`);
  let trace: ChromeTrace | null = null;
  const run = runModel(nmap, tokens, {
    maxTokens,
    tracer: (map) => (trace = new ChromeTrace(map)), hostProcessor: loadBaseline(HOST_PROCESSOR),
    onStep: (_, step) => progress.update({ fraction: step / maxTokens, fields: [`token ${step}/${maxTokens}`] }),
  }, mapFile);
  progress.done();
  const report = simulationReport(nmap, run, mapFile);
  report.quantisation = quantisationCost(model, modelName, tokens, report);
  const traceFile = path.join(outDir, `${targetName}.trace.json`);
  if (trace) writeFileAtomic(traceFile, (trace as ChromeTrace).text());
  writeFileAtomic(path.join(outDir, `${targetName}.json`), JSON.stringify(report, null, 2) + '\n');
  return { target: targetName, map: mapFile, trace: traceFile, cores: summary.cores_used, report };
}

/** The analytic dense batch-1 baselines (targets/baselines) of a model's configuration. */
export function denseBaselines(model: LanguageModel): BaselineReport[] {
  return listBaselines().map((name) => denseBaseline(model.config, loadBaseline(name)));
}

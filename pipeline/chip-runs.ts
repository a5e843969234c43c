/**
 * Compile a model for a target, then run a token stream through the compiled map: the demo's (and a sweep's)
 * path from *.egru to a simulation report, with the map and the trace written next to it.
 */
import path from 'path';
import { compile, nmapFromRecord, saveNmap, summarize, type Where } from '../compiler';
import type { CompileOptions, Emitted } from '../compiler';
import { DoesNotFit } from '../compiler/fit';
import { FEWEST_SIGNED_PLANES } from '../compiler/ir';
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
import type { Target } from '../targets/schema';
import { Progress } from '../format/progress';
import { quantisationCost } from './quantisation';

/**
 * Where the commands (`compile`, `demo`, sweeps) put the decoder unless told: on the host, as in the published
 * SpiNNaker2 deployment (the host receives the last layer's events and decodes on its CPU). With it on chip every
 * logit crosses the host link each token. The compiler library's own default stays 'chip' (its tests' maps).
 */
export const DEFAULT_DECODER: Where = 'host';

export interface ChipRun {
  target: string;
  /** Bit planes per event on a binary-spike target (fewer than the target's when that is what made the model fit); 1 otherwise. */
  planes: number;
  map: string;
  trace: string;
  cores: number;
  report: SimReport;
}

/**
 * Compiles `model` for `targetName` (a shipped target or a target file; its default arithmetic) and simulates `tokens` ids on the map. `binaryEncoding`
 * 'auto' sends graded events as bit-plane spikes exactly where the target carries binary spikes only (Loihi) and
 * describes such an encoding, with as many planes as fit: where a unit needs more input axons than a core has, one
 * plane fewer at a time (coarser events; the report's quantisation cost says what it cost).
 */
export function compileAndSimulate(model: LanguageModel, modelName: string, targetName: string, tokens: Int32Array, maxTokens: number, outDir: string, seed: number,
  decoder: Where = DEFAULT_DECODER, binaryEncoding: boolean | 'auto' = false): ChipRun {
  const target = loadTarget(targetName);
  // A target file's path is no file name: the outputs are named by the target's own name.
  const name = target.name;
  const bitPlanes = binaryEncoding === 'auto' ? egruObstacle(target) !== null && target.neuron.binary_encoding !== undefined : binaryEncoding;
  const ir = binaryEncoding === 'auto' && bitPlanes
    ? compileWithPlanesThatFit(model, target, { seed, modelName, decoder, binaryEncoding: true })
    : compile(model, target, { seed, modelName, decoder, binaryEncoding: bitPlanes });
  const summary = summarize(ir);
  const mapFile = path.join(outDir, `${name}.nmap`);
  saveNmap(mapFile, ir, summary);
  const nmap = nmapFromRecord(readContainer(mapFile), mapFile);
  const progress = new Progress(`simulate ${name}`);
  let trace: ChromeTrace | null = null;
  const run = runModel(nmap, tokens, {
    maxTokens,
    tracer: (map) => (trace = new ChromeTrace(map)), hostProcessor: loadBaseline(HOST_PROCESSOR),
    // step counts from 0; a pipelined run takes a few steps more than it has tokens.
    onStep: (_, step) => progress.update({ fraction: Math.min(1, (step + 1) / maxTokens), fields: [`step ${step + 1}`] }),
  }, mapFile);
  progress.done();
  const report = simulationReport(nmap, run, mapFile);
  report.quantisation = quantisationCost(model, modelName, tokens, report);
  const traceFile = path.join(outDir, `${name}.trace.json`);
  if (trace) writeFileAtomic(traceFile, (trace as ChromeTrace).text());
  writeFileAtomic(path.join(outDir, `${name}.json`), JSON.stringify(report, null, 2) + '\n');
  return { target: name, map: mapFile, trace: traceFile, cores: summary.cores_used, planes: ir.ctx.planes, report };
}

/** The target's bit planes, or the most that fit a unit's input axons on a core, FEWEST_SIGNED_PLANES at the fewest (refused as compile refuses when even those do not). */
function compileWithPlanesThatFit(model: LanguageModel, target: Target, options: Partial<CompileOptions>): Emitted {
  for (let planes = target.neuron.binary_encoding!.planes.value; ; planes--) {
    try {
      return compile(model, target, { ...options, planes });
    } catch (err) {
      if (!(err instanceof DoesNotFit && err.limit === 'fan-in' && planes > FEWEST_SIGNED_PLANES)) throw err;
    }
  }
}

/** The analytic dense batch-1 baselines (targets/baselines) of a model's configuration. */
export function denseBaselines(model: LanguageModel): BaselineReport[] {
  return listBaselines().map((name) => denseBaseline(model.config, loadBaseline(name)));
}

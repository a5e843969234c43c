/**
 * `neuromap simulate M.nmap (--text FILE | --data DIR --split test) [--sim-tokens N] [--schedule sequential|pipelined]
 *  [--json OUT.json] [--trace TRACE.json]`: runs a token stream through a compiled map on its target, computing
 * the model for real, and reports MACs, traffic, energy and latency (simulator/report.ts), next to the dense
 * baselines of the same model.
 * `neuromap simulate M.egru --target dense-cpu|dense-gpu|FILE [--text …]`: the dense baseline alone.
 */
import type { Argv, CommandModule } from 'yargs';
import { EGRU_KIND, loadModel, modelFromRecord } from '../../models/file';
import { NMAP_KIND, nmapFromRecord } from '../../compiler';
import { UserError } from '../../models/config';
import { readContainer } from '../../models/container';
import { writeFileAtomic, writeFilesAtomic } from '../../models/atomic';
import { resolveModelPath } from '../../models/pretrained';
import { checkOutputs } from '../../format/outputs';
import { evaluate } from '../../models/evaluate';
import { listBaselines, loadBaseline } from '../../targets/baseline-schema';
import { denseBaseline, type BaselineReport } from '../../simulator/baseline';
import type { Target } from '../../targets/schema';
import { simulationReport, type SimReport } from '../../simulator/report';
import { csvText, type CsvRecord } from '../../format/csv';
import { si } from '../../format/si';
import { energySentence } from '../../format/ratio';
import { simulationText } from '../../simulator/report-text';
import { HOST_PROCESSOR, runModel } from '../../simulator/run-model';
import { SCHEDULES, type Schedule } from '../../simulator/schedule';
import { ChromeTrace } from '../../simulator/trace';
import { Progress } from '../../format/progress';
import { tokenIds } from '../../pipeline/token-ids';
import { nonNegativeInt } from '../../pipeline/flags';
import { oldName } from '../old-names';
import { checkSameModel, findSourceModel, quantisationCost, quantisationLine } from '../../pipeline/quantisation';

export interface SimulateArgs {
  file: string;
  text?: string;
  data?: string;
  split: 'train' | 'valid' | 'test';
  'sim-tokens': number;
  schedule: Schedule;
  target?: string;
  model?: string;
  tick?: number;
  json?: string;
  csv?: string;
  'csv-steps'?: string;
  trace?: string;
}

export const simulateCommand: CommandModule<object, SimulateArgs> = {
  command: 'simulate <file>',
  describe: 'Run text through a compiled map (*.nmap) on its target: outputs, MACs, spikes, energy and latency per token, layer and core',
  builder: (y: Argv) =>
    oldName(y, 'max-tokens', 'sim-tokens', 'number')
      .positional('file', { type: 'string', demandOption: true, describe: 'A compiled map (*.nmap), or a model (*.egru) with --target dense-cpu|dense-gpu' })
      .option('text', { type: 'string', describe: 'Text file to run (one sentence a line), through the model’s vocabulary' })
      .option('data', { type: 'string', describe: 'Penn-Treebank-format directory; runs its --split' })
      .option('split', { choices: ['train', 'valid', 'test'] as const, default: 'test' as const, describe: 'Which split of --data' })
      .option('sim-tokens', { type: 'number', default: 0, describe: 'Predict at most this many tokens (0: all)' })
      .option('schedule', { choices: SCHEDULES, default: 'sequential' as Schedule, describe: 'sequential: a token passes every layer before the next (latency); pipelined: layers overlap tokens (throughput)' })
      .option('target', { type: 'string', describe: `With a model: the dense baseline (${listBaselines().join(', ')}, or a file); with a map: must name the map’s target` })
      .option('model', { type: 'string', describe: 'The fp32 model a quantised map was compiled from, to report what quantisation costs in perplexity (default: the file the map names, if it is next to the map)' })
      .option('tick', { type: 'number', describe: 'Fixed-tick targets: run with this tick (seconds) instead of the target’s, e.g. the shortest tick a run reports no step would overrun' })
      .option('json', { type: 'string', describe: 'Also write the report (OUT.json) here' })
      .option('csv', { type: 'string', describe: 'Also write one CSV row per core here (the columns of the JSON’s per_core)' })
      .option('csv-steps', { type: 'string', describe: 'Also write one CSV row per timestep here (step, then the columns of the JSON’s per_step)' })
      .option('trace', { type: 'string', describe: 'Write the timeline here (Chrome trace-event JSON: Perfetto, chrome://tracing)' })
      .conflicts('text', 'data')
      .example('$0 simulate p.nmap --data ptb --sim-tokens 1000 --json out.json', '1,000 test tokens on the map’s target')
      .example('$0 simulate p.nmap --text my.txt --schedule pipelined --trace trace.json', 'throughput, and a timeline to open in Perfetto')
      .example('$0 simulate p.nmap --data ptb --sim-tokens 300 --csv cores.csv --csv-steps steps.csv', 'per-core and per-step figures for a spreadsheet')
      .example('$0 simulate p.egru --target dense-gpu', 'the same model run densely at batch 1 on a GPU (analytic model)'),
  handler: (args) => {
    process.stdout.write(runSimulate(args) + '\n');
  },
};

/** Runs the command and returns the text to print; writes the JSON and trace files asked for. */
export function runSimulate(args: SimulateArgs): string {
  const maxTokens = nonNegativeInt(args['sim-tokens'], '--sim-tokens');
  checkOutputs([resolveModelPath(args.file), args.text, args.model && resolveModelPath(args.model), args.target],
    [{ flag: '--json', file: args.json }, { flag: '--csv', file: args.csv }, { flag: '--csv-steps', file: args['csv-steps'] }, { flag: '--trace', file: args.trace }]);
  // A dense baseline's model may be a shipped one by name (`pretrained:NAME`), as everywhere a model is taken.
  const record = readContainer(resolveModelPath(args.file));
  if (record.format === EGRU_KIND.format) return runBaseline(args, record, maxTokens);
  if (record.format !== NMAP_KIND.format)
    throw new UserError(`${args.file} is a '${record.format}' file; simulate reads compiled maps (*.nmap) and, with --target, models (*.egru)`);
  const nmap = nmapFromRecord(record, args.file);
  if (args.target !== undefined && args.target !== nmap.target.name)
    throw new UserError(`${args.file} was compiled for target ${nmap.target.name}, not ${args.target}: compile the model again with --target ${args.target}`);
  if (args.tick !== undefined) nmap.target = withTick(nmap.target, args.tick, args.file);
  const ids = tokenIds(nmap.model.vocab, args);
  const progress = new Progress('simulate');
  let trace: ChromeTrace | null = null;
  const run = runModel(nmap, ids, {
    maxTokens, schedule: args.schedule,
    tracer: args.trace ? (map) => (trace = new ChromeTrace(map)) : undefined, hostProcessor: loadBaseline(HOST_PROCESSOR),
    // step counts from 0; a pipelined run takes a few steps more than it has tokens.
    onStep: (_, step) => progress.update({ fraction: Math.min(1, (step + 1) / Math.max(1, Math.min(maxTokens || Infinity, ids.length - 1))), fields: [`step ${step + 1}`] }),
  }, args.file);
  progress.done();
  const report = simulationReport(nmap, run, args.file);
  // Only a quantised map has a cost to show; its fp32 source is --model or the file the map names.
  const quantised = report.arithmetic !== 'fp32';
  const reference = quantised ? args.model ?? findSourceModel(args.file, nmap.model.name) : null;
  report.quantisation = null;
  if (reference) {
    const source = loadModel(reference);
    checkSameModel(source, reference, nmap.model.config, args.file);
    report.quantisation = quantisationCost(source, reference, ids, report);
  }
  const note = quantised && !reference ? [`(pass --model with the fp32 model ${nmap.model.name} to see what ${report.arithmetic} costs in perplexity)`] : [];
  const baselines = listBaselines().map((name) => denseBaseline(nmap.model.config, loadBaseline(name)));
  // The report, its CSVs and the trace together or none.
  writeFilesAtomic([
    ...(args.json ? [{ file: args.json, data: JSON.stringify({ ...report, baselines: baselines.map((b) => comparison(b, report.energy_per_token_j)) }, null, 2) + '\n' }] : []),
    ...(args.csv ? [{ file: args.csv, data: csvText(report.per_core.map((c) => ({ ...c }))) }] : []),
    ...(args['csv-steps'] ? [{ file: args['csv-steps'], data: csvText(stepRecords(report)) }] : []),
    ...(args.trace && trace ? [{ file: args.trace, data: (trace as ChromeTrace).text() }] : []),
  ]);
  const vs = baselines.map((b) => {
    const c = comparison(b, report.energy_per_token_j);
    return `  ${b.baseline}: ${si(c.energy_per_token_j, 'J')}/token, ${si(c.latency_per_token_s, 's')}/token: ${energySentence(report.target, report.energy_per_token_j, b.baseline, c.energy_per_token_j)}`;
  });
  const written = [args.json, args.csv, args['csv-steps'], args.trace].filter(Boolean);
  return [simulationText(report), ...quantisationLine(report.quantisation), ...note, '', 'dense batch-1 baselines of the same model (analytic, targets/baselines):', ...vs,
    ...(written.length ? ['', `wrote ${written.join(', ')}`] : [])].join('\n');
}

/** `simulate --csv-steps`: one row per timestep, `step` (from 0) and the per_step lists' values at it. */
export function stepRecords(report: Pick<SimReport, 'per_step'>): CsvRecord[] {
  const columns = Object.entries(report.per_step);
  return columns[0][1].map((_, step) => Object.fromEntries([['step', step], ...columns.map(([name, values]) => [name, values[step]])]));
}

/** The map's target with another fixed tick; a barrier target has no tick to change. */
function withTick(target: Target, tick: number, file: string): Target {
  if (!Number.isFinite(tick) || tick <= 0) throw new UserError(`--tick must be a positive number of seconds (e.g. 1.2e-3), got ${tick}`);
  if (target.timestep.scheme !== 'fixed-tick')
    throw new UserError(`${file} runs on ${target.name}, whose steps end at a barrier, not a tick: --tick applies to fixed-tick targets such as spinnaker2`);
  return { ...target, timestep: { scheme: 'fixed-tick', tick_s: { value: tick, source: 'command line: --tick' } } };
}

function comparison(b: BaselineReport, simulatedJ: number) {
  return { baseline: b.baseline, energy_per_token_j: b.energy_per_token_j, latency_per_token_s: b.latency_per_token_s, energy_ratio: b.energy_per_token_j / simulatedJ };
}

function runBaseline(args: SimulateArgs, record: ReturnType<typeof readContainer>, maxTokens: number): string {
  if (!args.target) throw new UserError(`${args.file} is a model: pass --target ${listBaselines().join('|')} for its dense baseline, or compile it (neuromap compile) and simulate the map`);
  if (args.trace || args.csv || args['csv-steps'] || args.tick !== undefined || args.schedule !== 'sequential')
    throw new UserError('--trace, --csv, --csv-steps, --tick and --schedule apply to compiled maps; a dense baseline is an analytic estimate');
  const model = modelFromRecord(record, args.file);
  const b = denseBaseline(model.config, loadBaseline(args.target));
  const text = tokenIds(model.vocab, args);
  const quality = evaluate(model.config, model.params, text, { maxTokens });
  const out = { model: args.file, ...b, tokens: quality.tokens, perplexity: quality.perplexity, effective_macs_per_token: quality.macs.effective_per_token };
  if (args.json) writeFileAtomic(args.json, JSON.stringify(out, null, 2) + '\n');
  return [
    `${args.file} densely on ${b.baseline} (${b.description})`,
    `per token: ${si(b.energy_per_token_j, 'J')} (compute ${si(b.breakdown.compute, 'J')}, memory ${si(b.breakdown.memory, 'J')}, static ${si(b.breakdown.static, 'J')}), ` +
      `latency ${si(b.latency_per_token_s, 's')}, ${b.bound}-bound; ${b.dense_macs_per_token.toLocaleString('en-US')} MACs, ` +
      `${si(b.weight_bytes_per_token, 'B')} of weights ${b.weights_on_chip ? 'from on-chip memory' : 'from DRAM'}`,
    `perplexity ${quality.perplexity.toFixed(2)} on ${quality.tokens} tokens`,
    ...(args.json ? [`wrote ${args.json}`] : []),
  ].join('\n');
}

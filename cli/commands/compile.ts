/**
 * `neuromap compile M.egru --target NAME|FILE … --out M.nmap [--json SUMMARY.json]`: a model onto a
 * neuromorphic target. Exit 0 when it fits; a UserError (exit 2) with the numbers and what would help when
 * it does not. `describeNmap` is the `inspect` view of the file it writes.
 */
import * as path from 'path';
import type { Argv, CommandModule } from 'yargs';
import { compile, nmapFromRecord, packNmap, nmapBody, summarize, summaryText, type Summary } from '../../compiler';
import { writeFilesAtomic } from '../../models/atomic';
import type { Strategy, Where } from '../../compiler';
import type { ContainerRecord } from '../../models/container';
import { encodeTextFile } from '../../models/data';
import { loadModel } from '../../models/file';
import { resolveModelPath } from '../../models/pretrained';
import { checkOutputs } from '../../format/outputs';
import { loadTarget } from '../../targets/load';
import { nonNegativeInt, positiveInt } from '../../pipeline/flags';
import { DEFAULT_DECODER } from '../../pipeline/chip-runs';

export interface CompileArgs {
  model: string;
  target: string;
  out: string;
  chips?: number;
  arith?: string;
  /** Undefined: balance with --cores, else pack. */
  strategy?: Strategy;
  cores?: number;
  decoder: Where;
  calibrate?: string;
  'calibrate-tokens': number;
  'binary-encoding': boolean;
  planes?: number;
  seed: number;
  json?: string;
  verify: boolean;
  verbose: boolean;
}

export const compileCommand: CommandModule<object, CompileArgs> = {
  command: 'compile <model>',
  describe: 'Compile a model (*.egru) into per-core neuron maps, synapse tables and routes for a neuromorphic target (*.nmap)',
  builder: (y: Argv) =>
    y
      .positional('model', { type: 'string', demandOption: true, describe: 'Model file (*.egru), pruned for best results' })
      .option('target', { type: 'string', demandOption: true, describe: 'A shipped target (`neuromap targets list`) or a target file (.yaml/.json)' })
      .option('out', { type: 'string', demandOption: true, describe: 'Compiled map to write (*.nmap)' })
      .option('chips', { type: 'number', describe: 'Chips in the system (default: as few as the map needs)' })
      .option('arith', { type: 'string', describe: 'Arithmetic mode of the target, e.g. fp32 or int8 (default: the target’s default_arithmetic)' })
      .option('strategy', {
        choices: ['pack', 'balance'] as const, defaultDescription: 'pack; balance with --cores',
        describe: 'pack: fewest cores; balance: as many cores (or --cores), the least expected work on the busiest core',
      })
      .option('cores', { type: 'number', describe: 'With balance: spread the map over this many cores in all (at least pack’s count, at most one per unit)' })
      .option('decoder', {
        choices: ['host', 'chip'] as const, default: DEFAULT_DECODER,
        describe: 'Run the decoder (and projection) on the host CPU (the published SpiNNaker2 deployment; demo and sweeps do the same) or on the cores',
      })
      .option('calibrate', { type: 'string', describe: 'Text file (one sentence a line) to measure per-unit activity on, for balance and traffic' })
      .option('calibrate-tokens', { type: 'number', default: 1000, describe: 'At most this many calibration tokens (0: the whole file; ~10 ms a token at paper scale)' })
      .option('binary-encoding', { type: 'boolean', default: false, describe: 'On a binary-spike target (Loihi), send graded events as bit-plane spikes (the target’s neuron.binary_encoding)' })
      .option('planes', { type: 'number', describe: 'With --binary-encoding: at most this many bit planes per event, 2 or more (a sign plane and a magnitude plane; default: the target’s); fewer planes, coarser events, fewer input axons and synapse rows' })
      .option('seed', { type: 'number', default: 1, describe: 'Seed of the placement search: same inputs and seed, same bytes' })
      .option('json', { type: 'string', describe: 'Also write the summary (SUMMARY.json) here' })
      .option('verify', { type: 'boolean', default: true, describe: 'Check every invariant after every pass (--no-verify skips it)' })
      .option('verbose', { type: 'boolean', default: false, describe: 'Print each pass and its time on stderr' })
      .example('$0 compile p.egru --target spinnaker2 --out p.nmap --json summary.json', 'fp32 on SpiNNaker2 chips, as few as needed')
      .example('$0 compile p.egru --target loihi2 --strategy balance --calibrate valid.txt --out p.nmap', 'int8 on Loihi 2, work balanced by measured activity')
      .example('$0 compile p.egru --target loihi2 --cores 8 --calibrate valid.txt --out p.nmap', 'balance over 8 cores in all, so a layer that fits one core is spread')
      .example('$0 compile p.egru --target loihi --binary-encoding --out p.nmap', 'Loihi: graded events as bit-plane spikes')
      .example('$0 compile p.egru --target loihi2 --decoder chip --out p.nmap', 'the decoder on the cores too (every logit crosses the host link)')
      .example('$0 compile p.egru --target my-chip.yaml --chips 4 --arith int8 --out p.nmap', 'a target of your own'),
  handler: (args) => {
    process.stdout.write(runCompile(args) + '\n');
  },
};

/** Compiles, writes the map (and the summary), and returns the tables to print. */
export function runCompile(args: CompileArgs): string {
  checkOutputs([resolveModelPath(args.model), args.target, args.calibrate], [{ flag: '--out', file: args.out }, { flag: '--json', file: args.json }]);
  const model = loadModel(args.model);
  const target = loadTarget(args.target);
  let calibration: Int32Array | undefined;
  if (args.calibrate) {
    const ids = encodeTextFile(args.calibrate, model.vocab, '--calibrate');
    const limit = nonNegativeInt(args['calibrate-tokens'], '--calibrate-tokens');
    calibration = limit > 0 ? ids.subarray(0, limit + 1) : ids;
  }
  const ir = compile(model, target, {
    chips: args.chips === undefined ? undefined : positiveInt(args.chips, '--chips'),
    arith: args.arith,
    strategy: args.strategy ?? (args.cores === undefined ? 'pack' : 'balance'),
    cores: args.cores,
    decoder: args.decoder,
    binaryEncoding: args['binary-encoding'],
    planes: args.planes,
    calibration,
    seed: nonNegativeInt(args.seed, '--seed'),
    verify: args.verify,
    modelName: path.basename(args.model),
    onPass: args.verbose ? (pass, ms) => process.stderr.write(`compile: ${pass} ${ms.toFixed(0)} ms\n`) : undefined,
  });
  const summary = summarize(ir);
  // The map and its summary together or neither (a summary next to a stale map would describe another map).
  writeFilesAtomic([
    { file: args.out, data: packNmap(nmapBody(ir, summary)) },
    ...(args.json ? [{ file: args.json, data: JSON.stringify(summary, null, 2) + '\n' }] : []),
  ]);
  return `${summaryText(summary)}\n\nwrote ${args.out}${args.json ? ` and ${args.json}` : ''}`;
}

/** `neuromap inspect M.nmap`: the stored summary as per-layer, per-chip and per-core tables (every core). */
export function describeNmap(record: ContainerRecord, file: string): string {
  const map = nmapFromRecord(record, file);
  const s: Summary = map.summary;
  const c = map.compiler;
  const head =
    `${file}: compiled map (${record.format}, format version ${record.version}) by neuromap ${c.neuromap_version}: ` +
    `${map.model.name} (${map.model.config.layers.join(',')} units, vocabulary ${map.model.config.vocabSize}) for ${map.target.name}, seed ${c.seed}` +
    (typeof c.cores === 'number' ? `, --cores ${c.cores}` : '');
  return `${head}\n\n${summaryText(s, Infinity)}`;
}
